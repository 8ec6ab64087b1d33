using Npgsql;

namespace TrackGrains.Benchmarks.Infrastructure;

/// <summary>Measures a stopped server's PostgreSQL database: its tables with their indexes and TOAST, and the whole database.</summary>
public static class PostgresDatabase
{
    public static async Task<DatabaseMeasurement> MeasureAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        long enriched, withSpotify, spotifyBlobBytes, soundChartsBlobBytes;
        await using (var command = new NpgsqlCommand("""
            SELECT count(soundcharts_data), count(spotify_data),
                   COALESCE(sum(octet_length(spotify_data)), 0), COALESCE(sum(octet_length(soundcharts_data)), 0)
            FROM tracks
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            enriched = reader.GetInt64(0);
            withSpotify = reader.GetInt64(1);
            spotifyBlobBytes = reader.GetInt64(2);
            soundChartsBlobBytes = reader.GetInt64(3);
        }
        var tables = new List<(string Name, long Bytes)>();
        await using (var command = new NpgsqlCommand("""
            SELECT c.relname, pg_total_relation_size(c.oid)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r'
            ORDER BY 2 DESC
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add((reader.GetString(0), reader.GetInt64(1)));
            }
        }
        long databaseBytes;
        await using (var command = new NpgsqlCommand("SELECT pg_database_size(current_database())", connection))
        {
            databaseBytes = (long)(await command.ExecuteScalarAsync())!;
        }
        var tableBytes = tables.Sum(t => t.Bytes);
        // The whole database also holds PostgreSQL's own catalog (about 7.5 MB in an empty one), which does not
        // grow with the library; the tables are what scales, so they are what is compared and extrapolated.
        var howMeasured = $"sum of pg_total_relation_size (heap, TOAST, indexes) over our {tables.Count} tables on the stopped server, " +
            $"as autovacuum left them; pg_database_size {databaseBytes / DatabaseMeasurement.Megabyte:0.0} MB including the catalog; WAL not counted";
        return new DatabaseMeasurement(tableBytes, howMeasured, enriched, withSpotify, spotifyBlobBytes, soundChartsBlobBytes, tables);
    }
}
