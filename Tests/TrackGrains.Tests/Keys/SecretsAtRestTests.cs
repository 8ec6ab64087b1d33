using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TrackGrains.Emulator;
using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Tests.Infrastructure;

namespace TrackGrains.Tests.Keys;

/// <summary>A server whose data folder does not exist before it starts, so the test sees how the server creates it.</summary>
public sealed class PrivateDataServer() : GatewayFixture(() => new EmulatorOptions
{
    SoundChartsKeys = [new SoundChartsKeyOptions { AppId = "configured", ApiKey = SecretsAtRestTests.ConfiguredSecret, Quota = 100_000, RateLimit = 100_000 }],
}, new Dictionary<string, string?>())
{
    public string DataFolder => Path.Combine(Folder, "data");

    protected override string DatabaseRelativePath => Path.Combine("data", "tracks.db");
}

public sealed class SecretsAtRestTests(PrivateDataServer server) : IClassFixture<PrivateDataServer>
{
    public const string ConfiguredSecret = "configured-secret-key-0042";
    private const string AddedSecret = "added-through-the-api-0077";

    [Fact]
    public async Task No_key_secret_is_in_the_database_files_and_the_keys_still_work_after_a_restart()
    {
        server.Emulator.State.SoundCharts.AddOrReplaceKey(new SoundChartsKeyOptions { AppId = "added", ApiKey = AddedSecret, Quota = 1_000_000, RateLimit = 100_000 });
        using (var add = await server.Admin.PostAsJsonAsync("/api/keys/add", new { appId = "added", apiKey = AddedSecret }))
        {
            Assert.Equal(HttpStatusCode.OK, add.StatusCode);
        }
        // Calls through both keys write their accounting (grain state and read model) many times over.
        var ids = TestIds.Tracks(30);
        Assert.All((await TrackPolling.PeekStatusesAsync(server.User, ids)).Values, s => Assert.Equal("enriched", s));
        var counters = server.Emulator.State.SoundCharts.Counters;
        // The key with the most quota serves them all.
        Assert.Equal(30, counters.CallsForKey("added"));

        // While running (the WAL holds the recent writes) and after a clean stop (checkpointed into the database).
        AssertNoSecretInDatabaseFiles();
        await server.RestartAsync();
        AssertNoSecretInDatabaseFiles();

        // Readable after the restart: the key added through the API is in no configuration, so only its stored,
        // encrypted secret can make it active again and let it serve calls with the real secret.
        var keys = await server.Admin.GetFromJsonAsync<JsonElement>("/api/keys/list");
        Assert.All(keys.GetProperty("keys").EnumerateArray(), k => Assert.True(k.GetProperty("isActive").GetBoolean(), k.ToString()));
        var before = counters.Unauthorized;
        Assert.All((await TrackPolling.PeekStatusesAsync(server.User, TestIds.Tracks(10))).Values, s => Assert.Equal("enriched", s));
        Assert.Equal(before, counters.Unauthorized);
        // After a restart a key probes its stored quota with one call before it trusts it, so the other key may take
        // some of these; the added key must have served at least that probe, with its real secret.
        Assert.True(counters.CallsForKey("added") > 30, $"the added key served {counters.CallsForKey("added") - 30} calls after the restart");
        AssertNoSecretInDatabaseFiles();
    }

    [Fact]
    public void The_data_folder_is_owner_only_and_so_are_its_files()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        const UnixFileMode ownerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        const UnixFileMode ownerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(ownerOnlyFolder, File.GetUnixFileMode(server.DataFolder));
        var keyRing = Path.Combine(server.DataFolder, "keyring");
        Assert.Equal(ownerOnlyFolder, File.GetUnixFileMode(keyRing));
        var keyFiles = Directory.GetFiles(keyRing, "*.xml");
        Assert.NotEmpty(keyFiles);

        var files = keyFiles.Append(server.DatabasePath).Concat(new[] { "-wal", "-shm" }.Select(s => server.DatabasePath + s)).Where(File.Exists).ToList();
        Assert.Contains(server.DatabasePath + "-wal", files);
        foreach (var file in files)
        {
            var mode = File.GetUnixFileMode(file);
            Assert.True(mode == ownerOnlyFile, $"{file} is {mode}");
        }
    }

    private void AssertNoSecretInDatabaseFiles()
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            var path = server.DatabasePath + suffix;
            if (!File.Exists(path))
            {
                continue;
            }
            // Shared read: the server holds the files open.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            foreach (var secret in new[] { ConfiguredSecret, AddedSecret })
            {
                foreach (var encoding in new Encoding[] { Encoding.UTF8, Encoding.Unicode })
                {
                    Assert.True(bytes.AsSpan().IndexOf(encoding.GetBytes(secret)) < 0, $"{secret} found in {Path.GetFileName(path)} ({encoding.WebName})");
                }
            }
        }
    }
}
