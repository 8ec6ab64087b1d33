using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TrackGrains.Tests.Infrastructure;

namespace TrackGrains.Tests.Access;

/// <summary>
/// The Orleans Dashboard shows grain state and streams the server's log to the admin; neither may show a
/// secret: a SoundCharts key, a Spotify user's token, or the admin token.
/// </summary>
public sealed class DashboardSecretsTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task The_dashboards_grain_state_view_and_log_stream_show_no_secret()
    {
        using var browser = fixture.Factory.CreateClient();
        using (var session = await browser.PostAsJsonAsync("/admin/session", new { token = GatewayFixture.AdminToken }))
        {
            Assert.Equal(HttpStatusCode.NoContent, session.StatusCode);
        }

        // The log stream, read while a user syncs and fetches (their token and a key secret are in use meanwhile).
        using var stop = new CancellationTokenSource();
        var log = new StringBuilder();
        var reading = ReadStreamAsync(browser, "/dashboard/Trace", log, stop.Token);
        var sync = await SyncAndWaitAsync();
        Assert.True(sync.GetProperty("stats").GetProperty("fetchedFromSoundCharts").GetInt32() > 0, sync.ToString());

        var keys = await fixture.Admin.GetFromJsonAsync<JsonElement>("/api/keys/list");
        var keyId = keys.GetProperty("keys")[0].GetProperty("id").GetString()!;
        var states = new StringBuilder();
        foreach (var (type, id) in new[]
        {
            ("TrackGrains.Grains.Keys.ApiKeyGrain", keyId),
            ("TrackGrains.Grains.Keys.KeyRegistryGrain", "0"),
            ("TrackGrains.Grains.Library.LibraryGrain", GatewayFixture.UserId),
        })
        {
            using var state = await browser.GetAsync($"/dashboard/GrainState?grainId={Uri.EscapeDataString(id)}&grainType={type}");
            Assert.Equal(HttpStatusCode.OK, state.StatusCode);
            states.AppendLine(await state.Content.ReadAsStringAsync());
        }

        await TrackPolling.WaitUntilAsync(() => Text(log).Contains("Library", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await reading;

        var secrets = fixture.Emulator.State.SoundCharts.Keys.Select(k => k.Options.ApiKey)
            .Append(GatewayFixture.UserToken).Append(GatewayFixture.AdminToken).ToList();
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, states.ToString());
            Assert.DoesNotContain(secret, Text(log));
        }
    }

    private async Task<JsonElement> SyncAndWaitAsync()
    {
        using var response = await fixture.User.PostAsync("/api/sync?wait=true", null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static string Text(StringBuilder log)
    {
        lock (log)
        {
            return log.ToString();
        }
    }

    private static async Task ReadStreamAsync(HttpClient client, string path, StringBuilder into, CancellationToken stop)
    {
        try
        {
            using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, stop);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var stream = await response.Content.ReadAsStreamAsync(stop);
            var buffer = new byte[8192];
            int read;
            while ((read = await stream.ReadAsync(buffer, stop)) > 0)
            {
                lock (into)
                {
                    into.Append(Encoding.UTF8.GetString(buffer, 0, read));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped on purpose.
        }
    }
}
