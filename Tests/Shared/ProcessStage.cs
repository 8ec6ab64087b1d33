using TrackGrains.Emulator;

namespace TrackGrains.Testing;

/// <summary>
/// The world of a test or measurement with real processes: an in-process emulator and a temporary folder
/// for the SQLite file, removed (as far as the OS lets) when disposed.
/// </summary>
public sealed class ProcessStage : IAsyncDisposable
{
    private ProcessStage(UpstreamEmulator emulator, string folder)
    {
        Emulator = emulator;
        Folder = folder;
    }

    public UpstreamEmulator Emulator { get; }

    public string Folder { get; }

    public string DatabasePath => Path.Combine(Folder, "tracks.db");

    public static async Task<ProcessStage> StartAsync(string folderPrefix, EmulatorOptions options)
    {
        var folder = Directory.CreateTempSubdirectory(folderPrefix).FullName;
        try
        {
            return new ProcessStage(await UpstreamEmulator.StartAsync(options), folder);
        }
        catch
        {
            TryDelete(folder);
            throw;
        }
    }

    /// <summary>Settings for a gateway or silo on this stage's database and emulator.</summary>
    public Dictionary<string, string?> Settings(string adminToken, Func<string, bool>? importKey = null) =>
        GatewaySettings.For(Emulator, DatabasePath, adminToken, importKey);

    public async ValueTask DisposeAsync()
    {
        await Emulator.DisposeAsync();
        TryDelete(Folder);
    }

    public static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // SQLite or a dying process may still hold a file; a temp folder left behind is the OS's to clean.
        }
    }
}
