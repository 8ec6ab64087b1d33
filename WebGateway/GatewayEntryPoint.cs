namespace TrackGrains.WebGateway;

/// <summary>Names this assembly for WebApplicationFactory; the top-level Program is ambiguous in the tests.</summary>
public sealed class GatewayEntryPoint;
