/**
 * nginx's configuration for the studio ingest, written into the data folder at start-up.
 * RTMP in (on RTMP_PORT), HLS out as files the app serves, statistics on loopback only.
 * Every path nginx writes (pid, logs, temp files, HLS) is under the data folder, never /var.
 */
export interface IngestConfigOptions {
  /** The data folder's nginx directory: conf, pid, logs and temp files go here. */
  nginxDir: string;
  /** Where the HLS playlists and fragments go (the app serves them at /hls/). */
  hlsDir: string;
  rtmpModule: string;
  rtmpPort: number;
  statsPort: number;
  /** The app's own port on loopback, for the on_publish callbacks. */
  appPort: number;
  /** A random per-process secret in the callback URLs: only this nginx knows them. */
  callbackToken: string;
  /** The app's own user: nginx's worker writes HLS files the app must read (and may delete). */
  user: string;
  /**
   * The transcode ladder (XQ_TRANSCODE_LADDER, docs/decisions/032): the ffmpeg nginx runs per
   * stream to add a 480p and an audio-only rendition beside the source. Off (null) by default.
   */
  ladder?: { ffmpegBin: string } | null;
}

/** The ladder's files live in this folder of the HLS folder: `ID.m3u8` (master), `ID_src.m3u8`, … */
export const LADDER_DIR = "ladder";

/**
 * The renditions, as nginx-rtmp's hls_variant suffixes with their master playlist attributes.
 * Every variant names its CODECS, so hls.js leaves the audio-only one out of its video levels
 * (players that can show audio only, Safari's own, keep it for a bad network).
 */
export const LADDER_RENDITIONS = [
  { suffix: "_src", attributes: 'BANDWIDTH=2700000,CODECS="avc1.640028,mp4a.40.2"' },
  { suffix: "_480p", attributes: 'BANDWIDTH=1000000,RESOLUTION=854x480,CODECS="avc1.4d401f,mp4a.40.2"' },
  { suffix: "_audio", attributes: 'BANDWIDTH=140000,CODECS="mp4a.40.2"' },
] as const;

/**
 * The ffmpeg nginx starts for each published stream (nginx-rtmp's exec_push; stopped when the
 * stream ends, started again if it dies): it plays the stream from the live application over
 * loopback and publishes three renditions into the ladder application. The source is copied, the
 * 480p one encoded (x264 veryfast, keyframes where the source has them, so the renditions' 1-second
 * fragments line up), the audio-only one copied.
 */
function ladderCommand(o: IngestConfigOptions, ffmpegBin: string): string {
  const rtmp = (app: string, name: string) => `rtmp://127.0.0.1:${o.rtmpPort}/${app}/${name}`;
  return [
    ffmpegBin,
    ...["-hide_banner", "-loglevel", "error", "-i", rtmp("live", "$name")],
    ...["-map", "0:v", "-map", "0:a?", "-c", "copy", "-f", "flv", rtmp(LADDER_DIR, "$name_src")],
    ...["-map", "0:v", "-map", "0:a?", "-vf", "scale=-2:480", "-c:v", "libx264", "-preset", "veryfast"],
    ...["-tune", "zerolatency", "-profile:v", "main", "-pix_fmt", "yuv420p", "-force_key_frames", "source"],
    ...["-b:v", "800k", "-maxrate", "900k", "-bufsize", "1800k", "-c:a", "copy"],
    ...["-f", "flv", rtmp(LADDER_DIR, "$name_480p")],
    ...["-map", "0:a", "-c:a", "copy", "-f", "flv", rtmp(LADDER_DIR, "$name_audio")],
  ].join(" ");
}

function ladderConfig(o: IngestConfigOptions): string {
  return `
    # The transcode ladder (docs/decisions/032): the renditions the exec'd ffmpeg publishes from
    # loopback, as HLS with a master playlist (ID.m3u8) in its own folder. Nothing here is a
    # show's record: the replay is copied from the live application's fragments.
    application ${LADDER_DIR} {
      live on;
      record off;
      allow publish 127.0.0.1;
      deny publish all;
      deny play all;
      hls on;
      hls_path ${o.hlsDir}/${LADDER_DIR};
      hls_fragment 1s;
      hls_playlist_length ${LIVE_WINDOW_SECONDS}s;
      hls_type live;
      hls_continuous on;
      hls_nested off;
${LADDER_RENDITIONS.map((r) => `      hls_variant ${r.suffix} '${r.attributes}';`).join("\n")}
    }
`;
}

/** The live playlist's length: a few 1-second fragments, enough for a player to ride out a hiccup. */
export const LIVE_WINDOW_SECONDS = 6;

export function renderIngestConfig(o: IngestConfigOptions): string {
  const callback = (event: string) => `http://127.0.0.1:${o.appPort}/internal/rtmp/${o.callbackToken}/${event}`;
  const temp = (name: string) => `${o.nginxDir}/temp/${name}`;
  // With the ladder, its ffmpeg plays each published stream from loopback (and only from there).
  const ladderLive = o.ladder
    ? `      allow play 127.0.0.1;\n      exec_push ${ladderCommand(o, o.ladder.ffmpegBin)};\n      exec_kill_signal term;\n`
    : "";
  return `# Written by Xinquan at start-up (livestream/ingest/config.ts); edits are overwritten.
daemon off;
master_process on;
# Only takes effect when started as root (nginx would otherwise run its worker as "nobody").
user ${o.user};
worker_processes 1;
pid ${o.nginxDir}/nginx.pid;
error_log ${o.nginxDir}/logs/error.log warn;
load_module ${o.rtmpModule};

events {
  worker_connections 256;
}

rtmp {
  # Stream keys ride in the publish arguments (docs/decisions/005): no log line may hold them, so
  # neither $args nor the URLs ($tcurl, $pageurl) are logged, and the error log stays at "warn"
  # (nginx-rtmp's "info" lines print the arguments).
  log_format nokeys '$remote_addr [$time_local] $command "$app" "$name" $bytes_received $bytes_sent ($session_readable_time)';
  server {
    listen ${o.rtmpPort};
    chunk_size 4096;
    access_log ${o.nginxDir}/logs/rtmp-access.log nokeys;
    # An encoder that goes silent (a phone losing its network) is dropped after 10 s, so the same
    # key can publish again at once instead of meeting "Already publishing".
    drop_idle_publisher 10s;

    application live {
      live on;
      record off;
      # Only publishers: viewers watch HLS through the site, never RTMP.
${ladderLive}      deny play all;

      # The encoder publishes PUBLIC_ID?key=SECRET; the app checks the key and the time.
      on_publish ${callback("publish")};
      on_publish_done ${callback("publish-done")};
      # Asked every 10 s while publishing; a refusal cuts the stream (slot end + 5 minutes).
      on_update ${callback("update")};
      notify_update_timeout 10s;
      notify_method post;

      # 1-second fragments (the encoder sends a keyframe every second). The live playlist is a
      # sliding window of ${LIVE_WINDOW_SECONDS} s; a reconnect continues its numbering after a
      # discontinuity. Fragments are kept (no clean-up): the app copies each one into the
      # replay's own playlist and packs them after the show (livestream/ingest/replay.ts).
      hls on;
      hls_path ${o.hlsDir};
      hls_fragment 1s;
      hls_playlist_length ${LIVE_WINDOW_SECONDS}s;
      hls_type live;
      hls_continuous on;
      hls_cleanup off;
      hls_nested off;
    }
${o.ladder ? ladderConfig(o) : ""}  }
}

http {
  # The statistics page only; logged without query strings all the same.
  log_format nokeys '$remote_addr [$time_local] "$request_method $uri" $status $body_bytes_sent';
  access_log ${o.nginxDir}/logs/http-access.log nokeys;
  client_body_temp_path ${temp("client_body")};
  proxy_temp_path ${temp("proxy")};
  fastcgi_temp_path ${temp("fastcgi")};
  uwsgi_temp_path ${temp("uwsgi")};
  scgi_temp_path ${temp("scgi")};

  server {
    listen 127.0.0.1:${o.statsPort};
    location /stat {
      rtmp_stat all;
    }
  }
}
`;
}
