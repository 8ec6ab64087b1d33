namespace TrackGrains.Grains.Interfaces.Library;

[GenerateSerializer, Alias("tg.SyncState")]
public enum SyncState
{
    Running = 0,
    Completed = 1,
    Failed = 2,
}
