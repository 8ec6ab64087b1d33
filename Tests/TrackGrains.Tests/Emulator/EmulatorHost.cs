using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using TrackGrains.Emulator;
using TrackGrains.Emulator.SoundCharts;

namespace TrackGrains.Tests.Emulator;

/// <summary>A fresh in-process emulator on fake time with a plain HttpClient, one per test.</summary>
internal sealed class EmulatorHost : IAsyncDisposable
{
    public const string AppId = "test-app";
    public const string ApiKey = "test-key";

    private EmulatorHost(UpstreamEmulator emulator, FakeTimeProvider time)
    {
        Emulator = emulator;
        Time = time;
        Http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(emulator.BaseUrl) };
    }

    public UpstreamEmulator Emulator { get; }

    public EmulatorState State => Emulator.State;

    public FakeTimeProvider Time { get; }

    public HttpClient Http { get; }

    /// <summary>Starts with one key (<see cref="AppId"/>/<see cref="ApiKey"/>, quota 1000, 100 per 60 s) unless configured otherwise.</summary>
    public static async Task<EmulatorHost> StartAsync(Action<EmulatorOptions>? configure = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero));
        var options = new EmulatorOptions { TimeProvider = time, Seed = 7 };
        options.SoundChartsKeys.Add(new SoundChartsKeyOptions { AppId = AppId, ApiKey = ApiKey });
        configure?.Invoke(options);
        return new EmulatorHost(await UpstreamEmulator.StartAsync(options), time);
    }

    public Task<HttpResponseMessage> GetSong(string trackId, string appId = AppId, string apiKey = ApiKey, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v2.25/song/by-platform/spotify/{trackId}");
        request.Headers.Add("x-app-id", appId);
        request.Headers.Add("x-api-key", apiKey);
        return Http.SendAsync(request, cancellationToken);
    }

    public Task<HttpResponseMessage> GetSpotify(string pathAndQuery, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        request.Headers.Authorization = new("Bearer", token);
        return Http.SendAsync(request);
    }

    public async Task<JsonObject> GetSpotifyJson(string pathAndQuery, string token)
    {
        using var response = await GetSpotify(pathAndQuery, token);
        Assert.Equal(200, (int)response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Emulator.DisposeAsync();
    }
}
