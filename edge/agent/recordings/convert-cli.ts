/**
 * One conversion in a process of its own, started by the uploader: reading
 * the pcap and building tracks is synchronous work (≈ 25 ms per minute of
 * call, 1.5 s for an hour) and memory (≈ 140 MB per hour) that must not stall
 * the agent's intake of Kamailio's call events. Runs at a lower priority, as
 * does the ffmpeg it starts, so calls' signalling and media come first.
 *
 *   <node + tsx> convert-cli.ts <metadata file> <out.mp3> [ffmpeg]
 *
 * Prints the ConvertedRecording (or null: no audio) as JSON on stdout.
 */
import { setPriority } from 'node:os';
import { convertRecording } from './convert';

const [metadataFile, outFile, ffmpeg] = process.argv.slice(2);
try {
  setPriority(10);
} catch {
  // not allowed here: convert at normal priority
}
if (!metadataFile || !outFile) {
  process.stderr.write('usage: convert-cli.ts <metadata file> <out.mp3> [ffmpeg]\n');
  process.exit(2);
}
convertRecording(metadataFile, outFile, { ffmpeg: ffmpeg || undefined }).then(
  (result) => process.stdout.write(JSON.stringify(result)),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
