import { signUrl } from '@/lib/cfsign';
import { photos } from '@/lib/photos';

// Signing with WebCrypto: @cfsign/core picks its web backend under the edge-light condition.
export const runtime = 'edge';

export async function GET(request: Request) {
  const photo = new URL(request.url).searchParams.get('photo') ?? 'aurora';
  // Only known names: never build signed paths (least of all wildcards) from raw user input.
  if (!(photos as readonly string[]).includes(photo))
    return Response.json({ error: 'unknown photo' }, { status: 404 });
  const url = await signUrl(`/media/gallery/${photo}.png`, { expiresIn: '5m' });
  const edge = typeof (globalThis as { EdgeRuntime?: unknown }).EdgeRuntime === 'string';
  return Response.json(
    { url, runtime: edge ? 'edge' : 'nodejs' },
    { headers: { 'cache-control': 'private, no-store' } },
  );
}
