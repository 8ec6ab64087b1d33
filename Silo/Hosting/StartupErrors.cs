using Microsoft.Extensions.Options;

namespace TrackGrains.Silo.Hosting;

/// <summary>
/// Turns a configuration mistake into one line that names the key and the fix, instead of a stack
/// trace, and a non-zero exit code.
/// </summary>
public static class StartupErrors
{
    public const int ConfigurationExitCode = 2;

    public static async Task<int> RunAsync(Func<Task> run)
    {
        try
        {
            await run();
            return 0;
        }
        catch (Exception ex) when (Describe(ex) is { } problem)
        {
            await Console.Error.WriteLineAsync($"TrackGrains cannot start: {problem}");
            return ConfigurationExitCode;
        }
    }

    public static string? Describe(Exception exception) => exception switch
    {
        OptionsValidationException invalid => string.Join(" ", invalid.Failures),
        TrackGrains.Silo.Storage.StorageUnavailableException unavailable => unavailable.Message,
        InvalidOperationException conversion when conversion.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) =>
            conversion.Message + " Time spans are written like 00:00:10 (10 seconds) or 1.00:00:00 (one day).",
        AggregateException { InnerExceptions.Count: 1 } single => Describe(single.InnerExceptions[0]),
        _ when exception.InnerException is { } inner => Describe(inner),
        _ => null,
    };
}
