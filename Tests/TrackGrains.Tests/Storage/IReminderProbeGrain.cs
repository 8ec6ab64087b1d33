namespace TrackGrains.Tests.Storage;

[Alias("TrackGrains.Tests.Storage.IReminderProbeGrain")]
public interface IReminderProbeGrain : IGrainWithStringKey
{
    [Alias("Start")]
    Task Start(TimeSpan period);
}
