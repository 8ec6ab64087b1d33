namespace TrackGrains.Grains.Interfaces.Tracks;

[GenerateSerializer, Alias("tg.RetryTrigger")]
public enum RetryTrigger
{
    /// <summary>A reminder fired: attempt only if the scheduled time has come.</summary>
    Scheduled = 0,
    /// <summary>A key became usable: attempt tracks that were waiting for one.</summary>
    KeyAvailable = 1,
    /// <summary>An operator asked to retry failed and retrying tracks now; a 410 (final) is left alone.</summary>
    Operator = 2,
    /// <summary>An operator insisted on retrying 410 tracks too (<c>?includeGone=true</c>).</summary>
    OperatorIncludingGone = 3,
}
