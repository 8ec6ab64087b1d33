using Microsoft.Data.Sqlite;

namespace TrackGrains.Benchmarks.Infrastructure;

/// <summary>Measures a stopped server's database file: checkpointed, then by table and by payload.</summary>
public static class SqliteFile
{
    public static DatabaseMeasurement CheckpointAndMeasure(string path)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString();
        var tables = new List<(string Name, long Bytes)>();
        long enriched;
        long withSpotify;
        long spotifyBlobBytes;
        long soundChartsBlobBytes;
        long freePages;
        long pageSize;
        using (var connection = new SqliteConnection(connectionString))
        {
            connection.Open();
            Scalar(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
            using (var command = connection.CreateCommand())
            {
                command.CommandText = """
                    SELECT COALESCE(SUM(soundcharts_data IS NOT NULL), 0), COALESCE(SUM(spotify_data IS NOT NULL), 0),
                           COALESCE(SUM(length(spotify_data)), 0), COALESCE(SUM(length(soundcharts_data)), 0)
                    FROM tracks
                    """;
                using var reader = command.ExecuteReader();
                reader.Read();
                enriched = reader.GetInt64(0);
                withSpotify = reader.GetInt64(1);
                spotifyBlobBytes = reader.GetInt64(2);
                soundChartsBlobBytes = reader.GetInt64(3);
            }
            freePages = Scalar(connection, "PRAGMA freelist_count");
            pageSize = Scalar(connection, "PRAGMA page_size");
            try
            {
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    tables.Add((reader.GetString(0), reader.GetInt64(1)));
                }
            }
            catch (SqliteException)
            {
                // This SQLite build has no dbstat table; the total is still measured.
            }
        }
        var wal = new FileInfo(path + "-wal");
        var howMeasured = $"file after PRAGMA wal_checkpoint(TRUNCATE) on the stopped server (WAL left: {(wal.Exists ? wal.Length : 0)} B, " +
            $"free pages {freePages * pageSize / DatabaseMeasurement.Megabyte:0.0} MB)";
        return new DatabaseMeasurement(new FileInfo(path).Length, howMeasured, enriched, withSpotify, spotifyBlobBytes, soundChartsBlobBytes, tables);
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>A stopped server's database: <see cref="Bytes"/> is what it costs on disk, <see cref="HowMeasured"/> says how that was counted.</summary>
public sealed record DatabaseMeasurement(
    long Bytes,
    string HowMeasured,
    long EnrichedTracks,
    long TracksWithSpotifyData,
    long SpotifyBlobBytes,
    long SoundChartsBlobBytes,
    IReadOnlyList<(string Name, long Bytes)> Tables)
{
    public const double Megabyte = 1_000_000;
}
