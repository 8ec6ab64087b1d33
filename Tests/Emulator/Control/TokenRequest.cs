namespace TrackGrains.Emulator.Control;

/// <summary>ExpiresAfterCalls 0 = expired from the start; null = never.</summary>
public sealed record TokenRequest(string Token, string UserId, int? ExpiresAfterCalls);
