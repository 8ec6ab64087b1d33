-- Each Spotify user's SoundCharts calls per UTC day (Access:UserDailySoundChartsCalls). Written by
-- the user's budget grain for that day, which is the source of truth while it is active; read back
-- when it activates again and listed on the stats page. day is yyyy-MM-dd, like usage_stats.
CREATE TABLE IF NOT EXISTS user_usage
(
    user_id           TEXT    NOT NULL,
    day               TEXT    NOT NULL,
    soundcharts_calls INTEGER NOT NULL DEFAULT 0,
    refused           INTEGER NOT NULL DEFAULT 0,
    updated_at        TEXT    NOT NULL,
    PRIMARY KEY (user_id, day)
);

CREATE INDEX IF NOT EXISTS ix_user_usage_day ON user_usage (day);
