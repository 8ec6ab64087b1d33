namespace TrackGrains.Silo.Storage;

/// <summary>
/// Applies the schema when the silo starts, before any provider reads its queries from
/// <c>OrleansQuery</c> (membership, reminders and grain storage all initialise at later stages).
/// </summary>
internal sealed class SqliteSchemaMigrationParticipant(string connectionString) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(
            nameof(SqliteSchemaMigrationParticipant),
            ServiceLifecycleStage.First,
            cancellationToken => SqliteSchemaMigrator.ApplyAsync(connectionString, cancellationToken));
}
