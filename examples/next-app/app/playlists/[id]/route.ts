import { withSignedLinks } from '@/lib/cfsign';

// A media playlist whose segment links get the video's wildcard policy from withSignedLinks.
export const GET = withSignedLinks(
  async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const { id } = await params;
    if (!/^\d+$/.test(id)) return new Response('Not Found', { status: 404 });
    const lines = ['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-TARGETDURATION:4', '#EXT-X-MEDIA-SEQUENCE:0'];
    for (let i = 0; i < 3; i++) lines.push('#EXTINF:4.0,', `/video/${id}/seg${i}.ts`);
    lines.push('#EXT-X-ENDLIST', '');
    return new Response(lines.join('\n'), { headers: { 'content-type': 'application/vnd.apple.mpegurl' } });
  },
);
