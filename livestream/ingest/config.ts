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
}

/** The live playlist's length: a few 1-second fragments, enough for a player to ride out a hiccup. */
export const LIVE_WINDOW_SECONDS = 6;

export function renderIngestConfig(o: IngestConfigOptions): string {
  const callback = (event: string) => `http://127.0.0.1:${o.appPort}/internal/rtmp/${o.callbackToken}/${event}`;
  const temp = (name: string) => `${o.nginxDir}/temp/${name}`;
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
      deny play all;

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
  }
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
