namespace TrackGrains.Silo.Storage;

/// <summary>The configured database cannot be used as it is; the message says what to change.</summary>
public sealed class StorageUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
