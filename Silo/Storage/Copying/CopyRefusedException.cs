namespace TrackGrains.Silo.Storage.Copying;

/// <summary>
/// The copy did not start because the source or the target is not in a state it may be copied from
/// or into; the message is one line that says what to do. Nothing was written to the target.
/// </summary>
public sealed class CopyRefusedException(string message) : Exception(message);
