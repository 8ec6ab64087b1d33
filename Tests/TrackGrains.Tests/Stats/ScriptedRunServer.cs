using TrackGrains.Tests.Infrastructure;

namespace TrackGrains.Tests.Stats;

/// <summary>
/// A fresh server whose periodic usage flush never fires during a test (so only the stats endpoint's own
/// flush can make counts visible) and whose 404 recheck never fires either (so no reminder adds a call).
/// </summary>
public class ScriptedRunServer() : GatewayFixture(DefaultEmulator, new Dictionary<string, string?>
{
    ["Usage:FlushInterval"] = "01:00:00",
    ["Retry:NotFoundRecheck"] = "01:00:00",
});

public sealed class ScriptedRunServerOnPostgres : ScriptedRunServer
{
    public override bool OnPostgres => true;
}
