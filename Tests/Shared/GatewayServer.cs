using System.Diagnostics;
using System.Net.Http.Headers;

namespace TrackGrains.Testing;

/// <summary>
/// The gateway as its own operating-system process (<c>dotnet WebGateway.dll</c>, built next to the
/// tests or the benchmark), listening on a loopback port: for claims about durability across a hard
/// kill, and for measurements. Only the last lines of its output are kept, to explain a failed start.
/// Shared, as source, by the test and benchmark projects.
/// </summary>
public sealed class GatewayServer : IAsyncDisposable
{
    private const int KeptOutputLines = 200;
    private static readonly string[] ProxyVariables = ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"];

    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private GatewayServer(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public static string GatewayAssembly => Path.Combine(AppContext.BaseDirectory, "WebGateway.dll");

    public static async Task<GatewayServer> StartAsync(IReadOnlyDictionary<string, string?> settings, string workingDirectory)
    {
        if (!File.Exists(GatewayAssembly))
        {
            throw new FileNotFoundException($"WebGateway.dll is not next to this assembly ({GatewayAssembly}); build the solution first.");
        }
        var baseUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(GatewayAssembly);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseUrl);
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }
        // Every upstream is the loopback emulator; a proxy inherited from the shell must not sit in between.
        foreach (var variable in ProxyVariables)
        {
            start.Environment.Remove(variable);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the gateway process");
        var server = new GatewayServer(process, baseUrl);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
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

    public string RecentOutput
    {
        get
        {
            lock (_output)
            {
                return string.Join(Environment.NewLine, _output);
            }
        }
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
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return;
        }
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString()]) { UseShellExecute = false });
            if (kill is not null)
            {
                await kill.WaitForExitAsync();
            }
            using var wait = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(wait.Token);
                return;
            }
            catch (OperationCanceledException)
            {
                // Did not stop in time: fall through to the hard kill.
            }
        }
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushes, exactly what a crash or an OOM kill leaves behind.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > KeptOutputLines)
            {
                _output.Dequeue();
            }
        }
    }

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
