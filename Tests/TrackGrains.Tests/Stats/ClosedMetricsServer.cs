using TrackGrains.Tests.Infrastructure;

namespace TrackGrains.Tests.Stats;

public sealed class ClosedMetricsServer() : GatewayFixture(DefaultEmulator, new Dictionary<string, string?> { ["Metrics:RequireAdmin"] = "true" });
