namespace TrackGrains.WebGateway.Commands;

/// <summary>
/// A one-shot verb of the WebGateway program (<c>WebGateway backup --to x.db</c>): it runs instead of the
/// server and exits. Register it in <see cref="GatewayCommands"/>.
/// </summary>
public interface IGatewayCommand
{
    /// <summary>The verb, the program's first argument, e.g. <c>backup</c>.</summary>
    string Name { get; }

    /// <summary>One line for the usage text, e.g. <c>backup --to &lt;file&gt;</c>.</summary>
    string Usage { get; }

    /// <summary>
    /// The verb's own options (<c>--to</c> ...), without dashes. Every other argument is configuration, read
    /// exactly as the server reads it (<c>--Storage:Database=...</c>).
    /// </summary>
    IReadOnlyCollection<string> Options { get; }

    /// <summary>Runs the verb; the result is the process exit code (see <see cref="CommandExitCodes"/>).</summary>
    Task<int> RunAsync(CommandArguments arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken);
}
