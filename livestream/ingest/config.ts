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
  server {
    listen ${o.rtmpPort};
    chunk_size 4096;
    access_log ${o.nginxDir}/logs/rtmp-access.log;

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

      # 1-second fragments (the encoder sends a keyframe every second). "event" keeps every
      # fragment in the playlist, and nothing is cleaned up: when the stream ends, the same
      # playlist with #EXT-X-ENDLIST is the replay.
      hls on;
      hls_path ${o.hlsDir};
      hls_fragment 1s;
      hls_playlist_length 24h;
      hls_type event;
      hls_cleanup off;
      hls_nested off;
    }
  }
}

http {
  access_log off;
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
