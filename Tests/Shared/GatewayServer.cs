using System.Net.Http.Headers;

namespace TrackGrains.Testing;

/// <summary>
/// The gateway as its own operating-system process, listening on a loopback port and ready to serve:
/// for claims about durability across a hard kill, and for measurements. Shared, as source, by the test
/// and benchmark projects.
/// </summary>
public sealed class GatewayServer : IAsyncDisposable
{
    private readonly DotnetProcess _process;

    private GatewayServer(DotnetProcess process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public string RecentOutput => _process.RecentOutput;

    /// <summary>Everything it printed since it started (bounded); see <see cref="DotnetProcess.AllOutput"/>.</summary>
    public string AllOutput => _process.AllOutput;

    public int ProcessId => _process.Id;

    /// <summary>Whether the process has ended, and how, for a test explaining why the gateway stopped answering.</summary>
    public string ProcessState => _process.HasExited ? $"exited with {_process.ExitCode}" : "running";

    /// <param name="arguments">Arguments before the settings, e.g. <c>--demo</c>.</param>
    public static async Task<GatewayServer> StartAsync(IReadOnlyDictionary<string, string?> settings, string workingDirectory,
        params string[] arguments)
    {
        var baseUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var process = DotnetProcess.Start("WebGateway.dll", [.. arguments, "--urls", baseUrl], settings, workingDirectory);
        var server = new GatewayServer(process, baseUrl);
        try
        {
            await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    public HttpClient Client(string? bearer, TimeSpan timeout)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(BaseUrl), Timeout = timeout };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        return client;
    }

    /// <summary>SIGTERM and wait for the host to shut down (grains deactivate, connections close); SIGKILL if it hangs.</summary>
    public Task StopAsync(TimeSpan timeout) => _process.StopAsync(timeout);

    /// <summary>SIGKILL: no shutdown hooks, no flushes, exactly what a crash or an OOM kill leaves behind.</summary>
    public Task KillAsync() => _process.KillAsync();

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = Client(null, TimeSpan.FromSeconds(5));
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The gateway exited with {_process.ExitCode}:{Environment.NewLine}{RecentOutput}");
            }
            try
            {
                using var response = await http.GetAsync("/health/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Starting up slowly.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The gateway was not ready within {timeout}:{Environment.NewLine}{RecentOutput}");
    }
}
