namespace TrackGrains.Grains.Interfaces; internal static class Placeholder {}
