namespace TrackGrains.WebGateway.Commands;

/// <summary>
/// The WebGateway program's verbs. When the first argument names one, that verb runs instead of the server;
/// otherwise (no argument, or options such as <c>--urls</c>) the server starts as before.
/// </summary>
public static class GatewayCommands
{
    /// <summary>Add a verb here.</summary>
    private static readonly IGatewayCommand[] All = [new BackupCommand(), new CopyDataCommand()];

    /// <returns>The exit code when <paramref name="args"/> start with a verb; null when the server should start.</returns>
    public static async Task<int?> TryRunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        if (args.Length == 0 || !LooksLikeVerb(args[0]))
        {
            return null;
        }
        var output = Console.Out;
        var error = Console.Error;
        var command = All.FirstOrDefault(c => string.Equals(c.Name, args[0], StringComparison.OrdinalIgnoreCase));
        if (command is null)
        {
            await error.WriteLineAsync($"Unknown command '{args[0]}'. Commands: {string.Join("; ", All.Select(c => c.Usage))}. " +
                "Without a command the server starts.");
            return CommandExitCodes.Usage;
        }

        var (arguments, problem) = CommandArguments.Parse(args[1..], command.Options);
        if (arguments is null)
        {
            await error.WriteLineAsync($"{command.Name}: {problem} Usage: {command.Usage}");
            return CommandExitCodes.Usage;
        }
        return await command.RunAsync(arguments, output, error, cancellationToken);
    }

    /// <summary>
    /// A bare word. Configuration arguments start with <c>--</c>, <c>-</c> or <c>/</c>, or are <c>key=value</c>;
    /// a bare word that is none of these is taken for a (possibly mistyped) verb rather than silently ignored.
    /// </summary>
    private static bool LooksLikeVerb(string arg) =>
        arg.Length > 0 && arg[0] is not ('-' or '/') && !arg.Contains('=', StringComparison.Ordinal);
}
