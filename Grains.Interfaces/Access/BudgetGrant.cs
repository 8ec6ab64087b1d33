namespace TrackGrains.Grains.Interfaces.Access;

/// <param name="Granted">The attempt may go ahead; it must be settled with <see cref="IUserBudgetGrain.SettleAsync"/>.</param>
/// <param name="Used">Calls counted today, before this reservation.</param>
/// <param name="Limit">Access:UserDailySoundChartsCalls; 0 means no limit.</param>
/// <param name="ResetsAt">The start of the next UTC day, when a new budget begins.</param>
[GenerateSerializer, Immutable, Alias("tg.BudgetGrant")]
public sealed record BudgetGrant(
    [property: Id(0)] bool Granted,
    [property: Id(1)] long Used,
    [property: Id(2)] long Limit,
    [property: Id(3)] DateTimeOffset ResetsAt);
