-- Each Spotify user's SoundCharts calls per UTC day (Access:UserDailySoundChartsCalls). Written by
-- the user's budget grain for that day, which is the source of truth while it is active; read back
-- when it activates again and listed on the stats page. day is yyyy-MM-dd text, like usage_stats.
CREATE TABLE IF NOT EXISTS user_usage
(
    user_id           text        NOT NULL,
    day               text        NOT NULL,
    soundcharts_calls bigint      NOT NULL DEFAULT 0,
    refused           bigint      NOT NULL DEFAULT 0,
    updated_at        timestamptz NOT NULL,
    PRIMARY KEY (user_id, day)
);

CREATE INDEX IF NOT EXISTS ix_user_usage_day ON user_usage (day);
