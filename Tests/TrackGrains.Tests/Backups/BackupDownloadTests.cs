using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging.Abstractions;
using TrackGrains.Silo.Storage;
using TrackGrains.Tests.Infrastructure;
using TrackGrains.WebGateway.Endpoints;

namespace TrackGrains.Tests.Backups;

public sealed class BackupDownloadTests(GatewayFixture server) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task The_admin_download_is_a_whole_sqlite_database_and_leaves_no_file_behind()
    {
        var ids = TestIds.Tracks(3);
        Assert.All((await TrackPolling.PeekStatusesAsync(server.Admin, ids)).Values, s => Assert.Equal("enriched", s));

        using var response = await server.Admin.GetAsync("/api/admin/backup");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(BackupEndpoints.SqliteMediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.EndsWith(".db", response.Content.Headers.ContentDisposition?.FileName);
        var downloaded = Path.Combine(server.Folder, $"downloaded-{Guid.NewGuid():N}.db");
        await File.WriteAllBytesAsync(downloaded, await response.Content.ReadAsByteArrayAsync());

        Assert.Equal("ok", (await DatabaseProbe.RowAsync(TestDatabase.Sqlite(downloaded), "PRAGMA integrity_check"))!.Values.Single());
        Assert.Equal(3, await DatabaseProbe.CountAsync(TestDatabase.Sqlite(downloaded),
            "SELECT COUNT(*) FROM tracks WHERE soundcharts_data IS NOT NULL AND spotify_id IN (@a, @b, @c)",
            ("@a", ids[0]), ("@b", ids[1]), ("@c", ids[2])));
        // The snapshot the server streamed from is deleted once the response is over.
        await TrackPolling.WaitUntilAsync(() => Directory.GetFiles(server.Folder, ".download-*").Length == 0, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Only_the_admin_may_download_a_backup()
    {
        await ProblemAssert.IsProblemAsync(await server.Anonymous.GetAsync("/api/admin/backup"), HttpStatusCode.Unauthorized, "Authorization: Bearer");
        await ProblemAssert.IsProblemAsync(await server.User.GetAsync("/api/admin/backup"), HttpStatusCode.Forbidden, "administrator");
    }

    [Fact]
    public async Task With_postgres_storage_the_download_is_a_409_problem_naming_pg_dump()
    {
        await using var storage = TrackStorage.Postgres("Host=db.example;Username=trackgrains;Password=pg-secret-4711;Database=tracks", server.Folder);

        var result = await BackupEndpoints.DownloadBackup(storage, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);

        var problem = Assert.IsType<ProblemHttpResult>(result);
        Assert.Equal(StatusCodes.Status409Conflict, problem.StatusCode);
        Assert.Contains("pg_dump --format=custom", problem.ProblemDetails.Detail);
        Assert.DoesNotContain("pg-secret-4711", problem.ProblemDetails.Detail);
    }
}
