using System.Globalization;
using TrackGrains.Silo.Storage;
using TrackGrains.WebGateway.Auth;
using TrackGrains.WebGateway.Backups;
using TrackGrains.WebGateway.Http;

namespace TrackGrains.WebGateway.Endpoints;

public static class BackupEndpoints
{
    public const string SqliteMediaType = "application/vnd.sqlite3";

    public static IEndpointRouteBuilder MapBackups(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/admin/backup", DownloadBackup)
            .RequireAuthorization(AuthNames.AdminPolicy)
            .WithTags("Admin")
            .WithSummary("A fresh, consistent snapshot of the SQLite database as a download, taken while the server keeps serving.")
            .WithDescription(
                "The same snapshot as 'WebGateway backup --to <file>': SQLite's online backup API, checked with PRAGMA integrity_check. " +
                "Start a server on it with --Storage:Database=<file> to restore. With Storage:Provider=postgres: 409, use pg_dump.")
            .Produces(StatusCodes.Status200OK, contentType: SqliteMediaType)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    public static async Task<IResult> DownloadBackup(TrackStorage storage, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (storage.DataSource is not SqliteConnectionSource database)
        {
            return Problems.Create(StatusCodes.Status409Conflict, "Back up PostgreSQL with pg_dump",
                PgDumpAdvice.For(storage.ConnectionString, "trackgrains.dump"));
        }

        // In the data folder rather than /tmp: it is private to the server and has room for a copy of the database.
        var snapshotPath = Path.Combine(Path.GetDirectoryName(database.DatabasePath)!, $".download-{Guid.NewGuid():N}.db");
        SqliteBackupResult snapshot;
        try
        {
            snapshot = await SqliteBackup.CreateAsync(database.DatabasePath, snapshotPath, cancellationToken);
        }
        catch (SqliteBackupException ex)
        {
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, "No snapshot could be taken",
                $"No snapshot could be taken: {ex.Message} The server's database is unchanged.");
        }

        BackupLog.SnapshotServed(loggers.CreateLogger(typeof(BackupEndpoints).FullName!), snapshot.SizeBytes, snapshot.TrackCount);
        // Deleted when the response ends, whether the download completed or the client went away.
        FileStream stream;
        try
        {
            stream = new FileStream(snapshotPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81_920,
                FileOptions.Asynchronous | FileOptions.SequentialScan | FileOptions.DeleteOnClose);
        }
        catch
        {
            File.Delete(snapshotPath);
            throw;
        }
        var name = $"trackgrains-{time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}Z.db";
        return TypedResults.File(stream, SqliteMediaType, name);
    }
}

internal static partial class BackupLog
{
    [LoggerMessage(5201, LogLevel.Information, "Served a database snapshot of {SizeBytes} bytes holding {TrackCount} tracks")]
    public static partial void SnapshotServed(ILogger logger, long sizeBytes, long trackCount);
}
