namespace TrackGrains.Tests.Infrastructure;

/// <summary>The checkout the tests were built in: the folder above the test binaries that holds TrackGrains.sln.</summary>
public static class RepositoryFolder
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "TrackGrains.sln")))
        {
            folder = folder.Parent;
        }
        return folder?.FullName ?? throw new InvalidOperationException($"no TrackGrains.sln above {AppContext.BaseDirectory}");
    }
}
