using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TrackGrains.Emulator;
using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Tests.Infrastructure;
using TrackGrains.Testing;

namespace TrackGrains.Tests.Access;

/// <summary>The claims only a real process can prove: how it starts, what it refuses, what it writes to disk and prints.</summary>
[Collection(ProcessTests.Name)]
public sealed class StartupAccessProcessTests : IAsyncLifetime
{
    private ProcessStage _stage = null!;

    public async Task InitializeAsync()
    {
        _stage = await ProcessStage.StartAsync("trackgrains-access-", new EmulatorOptions
        {
            SoundChartsKeys = [new SoundChartsKeyOptions { AppId = "access-app", ApiKey = "access-key-secret-0001", Quota = 100_000, RateLimit = 100_000 }],
        });
    }

    public async Task DisposeAsync() => await _stage.DisposeAsync();

    [Theory]
    [InlineData("--urls", "http://0.0.0.0:{port}")]
    [InlineData("--urls", "http://*:{port}")]
    [InlineData("--Kestrel:Endpoints:Web:Url", "http://+:{port}")]
    public async Task Listening_beyond_loopback_with_an_empty_allow_list_exits_2_with_one_line(string option, string url)
    {
        var settings = _stage.Settings("open-bind-admin-token-0123456789");
        await using var gateway = DotnetProcess.Start("WebGateway.dll", [option, url.Replace("{port}", FreePort.Next().ToString())], settings, _stage.Folder);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await gateway.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, gateway.ExitCode);
        var line = Assert.Single(gateway.ErrorLines, l => l.Trim().Length > 0);
        Assert.StartsWith("TrackGrains cannot start:", line);
        Assert.Contains("Access:AllowedSpotifyUsers", line);
        Assert.Contains("Access:AllowAnySpotifyUser", line);
        Assert.DoesNotContain("   at ", gateway.RecentOutput);
    }

    [Fact]
    public async Task Listening_beyond_loopback_starts_when_the_operator_opens_it_on_purpose()
    {
        var port = FreePort.Next();
        var settings = _stage.Settings("open-bind-admin-token-0123456789").With(new Dictionary<string, string?>
        {
            ["Access:AllowAnySpotifyUser"] = "true",
        });
        await using var gateway = DotnetProcess.Start("WebGateway.dll", ["--urls", $"http://0.0.0.0:{port}"], settings, _stage.Folder);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        await TrackPolling.WaitUntilAsync(async () =>
        {
            Assert.False(gateway.HasExited, gateway.RecentOutput);
            try
            {
                using var ready = await http.GetAsync($"http://127.0.0.1:{port}/health/ready");
                return ready.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(90), () => gateway.RecentOutput);
    }

    [Fact]
    public async Task The_generated_admin_token_is_an_owner_only_ascii_file_that_works_through_cat_and_is_never_printed()
    {
        var settings = _stage.Settings("unused");
        settings.Remove("Admin:Token");
        var path = Path.Combine(_stage.Folder, "admin-token");

        byte[] written;
        await using (var first = await GatewayServer.StartAsync(settings, _stage.Folder))
        {
            written = File.ReadAllBytes(path);
            // 32 random bytes in URL-safe base64: ASCII only, no byte-order mark, no newline.
            Assert.Matches("^[A-Za-z0-9_-]{43}$", Encoding.ASCII.GetString(written));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }
            Assert.Equal("200", await CurlWithTokenFileAsync(path, first.BaseUrl));
            Assert.Contains(Path.GetFullPath(path), first.AllOutput);
            Assert.DoesNotContain(Encoding.ASCII.GetString(written), first.AllOutput);
            await first.StopAsync(TimeSpan.FromSeconds(30));
        }

        // Restarted on the same folder: the same token, not a new one, and nothing announced again.
        await using var second = await GatewayServer.StartAsync(settings, _stage.Folder);
        Assert.Equal(written, File.ReadAllBytes(path));
        Assert.Equal("200", await CurlWithTokenFileAsync(path, second.BaseUrl));
        Assert.DoesNotContain("generated", second.AllOutput);
        Assert.DoesNotContain(Encoding.ASCII.GetString(written), second.AllOutput);
    }

    [Fact]
    public async Task A_token_file_written_with_a_byte_order_mark_is_rewritten_plain_and_works_through_cat()
    {
        var settings = _stage.Settings("unused");
        settings.Remove("Admin:Token");
        var path = Path.Combine(_stage.Folder, "admin-token");
        const string token = "token-from-an-older-version-0123456789";
        File.WriteAllText(path, token, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        Assert.Equal(0xEF, File.ReadAllBytes(path)[0]);

        await using var gateway = await GatewayServer.StartAsync(settings, _stage.Folder);
        Assert.Equal(Encoding.ASCII.GetBytes(token), File.ReadAllBytes(path));
        Assert.Equal("200", await CurlWithTokenFileAsync(path, gateway.BaseUrl));
    }

    [Fact]
    public async Task The_READMEs_demo_first_run_prints_how_to_sign_in_and_serves_the_demo_user()
    {
        var settings = new Dictionary<string, string?> { ["Cluster:SiloPort"] = FreePort.Next().ToString() };
        await using var demo = await GatewayServer.StartAsync(settings, _stage.Folder, "--demo");
        Assert.Contains("Authorization: Bearer demo-user-token", demo.AllOutput);
        Assert.True(File.Exists(Path.Combine(_stage.Folder, "data", "demo.db")), "demo data goes to data/demo.db under the content root");

        // The README's three commands, as the demo user.
        using var http = demo.Client("demo-user-token", TimeSpan.FromSeconds(60));
        using var track = await http.GetAsync("/api/tracks/7A9rdAz2M6AjRwOa34jxIP");
        Assert.Equal(HttpStatusCode.OK, track.StatusCode);
        var body = await track.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("enriched", body.GetProperty("track").GetProperty("enrichment").GetProperty("status").GetString());

        using var sync = await http.PostAsync("/api/sync?wait=true", null);
        Assert.Equal(HttpStatusCode.OK, sync.StatusCode);
        var stats = (await sync.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stats");
        Assert.True(stats.GetProperty("total").GetInt32() > 0, stats.ToString());

        var library = await http.GetFromJsonAsync<JsonElement>("/api/library?limit=5");
        Assert.Equal(stats.GetProperty("addedToLibrary").GetInt32(), library.GetProperty("total").GetInt32());
        Assert.Equal(5, library.GetProperty("tracks").GetArrayLength());
    }

    /// <summary>What an operator types: curl with the header built by the shell from the file.</summary>
    private static async Task<string> CurlWithTokenFileAsync(string tokenFile, string baseUrl)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("curl --noproxy '*' -s -o /dev/null -w '%{http_code}' -H \"Authorization: Bearer $(cat \"$1\")\" \"$2/api/stats\"");
        start.ArgumentList.Add("curl-with-token-file");
        start.ArgumentList.Add(tokenFile);
        start.ArgumentList.Add(baseUrl);
        using var curl = Process.Start(start)!;
        var output = await curl.StandardOutput.ReadToEndAsync();
        await curl.WaitForExitAsync();
        return output.Trim();
    }
}
