using System.ComponentModel;
using TrackGrains.Testing;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TrackGrains.Tests.Infrastructure;

/// <summary>One call through Spotify's SDK: an endpoint method such as "recommendations.get" and its arguments.</summary>
/// <param name="Method">The SDK method, "endpoints.method" (e.g. "tracks.audioFeatures").</param>
/// <param name="Args">Its arguments, serialised to JSON as they are (property names are not renamed).</param>
public sealed record SdkCall(
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("args")] IReadOnlyList<object?> Args)
{
    /// <summary>Drops the Authorization header the SDK sends, to see how an anonymous caller is answered.</summary>
    [JsonPropertyName("withoutAuthorization")]
    public bool WithoutAuthorization { get; init; }
}

/// <summary>What the SDK gave back for one call: its result, or the message of the error it threw.</summary>
/// <param name="Result">The SDK's return value (JSON), when it returned.</param>
/// <param name="Error">The SDK's error message, when it threw.</param>
/// <param name="Status">The HTTP status of the last response the SDK received (null when none arrived).</param>
/// <param name="Urls">The URLs the SDK requested, already pointed at the server under test.</param>
public sealed record SdkOutcome(JsonElement? Result, string? Error, int? Status, IReadOnlyList<string> Urls)
{
    /// <summary>The result; fails the test with the SDK's error when it threw instead.</summary>
    public JsonElement Value => Result ?? throw new Xunit.Sdk.XunitException($"the SDK threw (HTTP {Status}): {Error}");
}

/// <summary>
/// Runs Spotify's official TypeScript SDK (@spotify/web-api-ts-sdk, pinned in Tests/SdkCompat/package-lock.json) in
/// node against a server under test: Tests/SdkCompat/call.mjs points the SDK's fetch at the server, as a real program
/// would. The package is installed once per test process with npm ci. A missing node or npm, or a failed install,
/// fails the calling test with what to do; it never skips.
/// </summary>
public static class SpotifySdk
{
    private const string StampFileName = ".trackgrains-package-lock.sha256";
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);
    private static readonly JsonSerializerOptions CallJson = new() { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    private static readonly Lazy<Task<string>> Installed = new(InstallAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Makes one call through the SDK.</summary>
    public static async Task<SdkOutcome> CallAsync(Uri baseUrl, string accessToken, SdkCall call) =>
        (await CallAllAsync(baseUrl, accessToken, [call]))[0];

    /// <summary>Makes the calls in order in one node process (each start costs about 100 ms); one outcome per call.</summary>
    public static async Task<IReadOnlyList<SdkOutcome>> CallAllAsync(Uri baseUrl, string accessToken, IReadOnlyList<SdkCall> calls)
    {
        var folder = await Installed.Value;
        var (exitCode, output, errors) = await ExternalTool.RunAsync("node", ["call.mjs", baseUrl.ToString(), JsonSerializer.Serialize(calls, CallJson)],
            folder, CallTimeout, new Dictionary<string, string> { ["SDK_ACCESS_TOKEN"] = accessToken });
        // 0: every call returned; 1: some threw (reported per call); anything else: the script itself failed.
        if (exitCode is not (0 or 1))
        {
            throw new InvalidOperationException($"node call.mjs exited with {exitCode}: {errors}{output}");
        }
        JsonElement outcomes;
        try
        {
            outcomes = JsonSerializer.Deserialize<JsonElement>(output);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"node call.mjs printed no JSON ({e.Message}): {errors}{output}");
        }
        return [.. outcomes.EnumerateArray().Select(Outcome)];
    }

    private static SdkOutcome Outcome(JsonElement outcome)
    {
        var urls = outcome.TryGetProperty("urls", out var u) ? u.EnumerateArray().Select(e => e.GetString()!).ToList() : [];
        if (outcome.TryGetProperty("error", out var error))
        {
            var status = outcome.GetProperty("status");
            return new SdkOutcome(null, error.GetString(), status.ValueKind == JsonValueKind.Number ? status.GetInt32() : null, urls);
        }
        return new SdkOutcome(outcome.GetProperty("result").Clone(), null, null, urls);
    }

    /// <summary>Installs the pinned SDK unless node_modules already holds exactly what package-lock.json pins.</summary>
    private static async Task<string> InstallAsync()
    {
        var folder = Path.Combine(RepositoryFolder.Root, "Tests", "SdkCompat");
        await RequireToolAsync("node", folder);
        var lockHash = Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(folder, "package-lock.json"))));
        var stamp = Path.Combine(folder, "node_modules", StampFileName);
        if (File.Exists(stamp) && (await File.ReadAllTextAsync(stamp)).Trim() == lockHash)
        {
            return folder;
        }
        await RequireToolAsync("npm", folder);
        var (exitCode, output, errors) = await ExternalTool.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], folder, InstallTimeout);
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                $"npm ci in {folder} failed with exit code {exitCode} (it needs the npm registry to install @spotify/web-api-ts-sdk): {errors}{output}");
        }
        // npm ci empties node_modules first, so the stamp is written only after a complete install.
        await File.WriteAllTextAsync(stamp, lockHash);
        return folder;
    }

    private static async Task RequireToolAsync(string tool, string folder)
    {
        try
        {
            var (exitCode, _, errors) = await ExternalTool.RunAsync(tool, ["--version"], folder, TimeSpan.FromSeconds(30));
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"'{tool} --version' failed with exit code {exitCode}: {errors}");
            }
        }
        catch (Win32Exception)
        {
            throw new InvalidOperationException(
                $"{tool} is not installed; the Spotify SDK compatibility tests run Spotify's TypeScript SDK in node. " +
                "Install Debian's packages: apt-get install -y nodejs npm.");
        }
    }
}
