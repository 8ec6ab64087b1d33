using TrackGrains.Emulator;
using TrackGrains.Emulator.SoundCharts;

// Standalone: dotnet run --project Tests/Emulator -- --urls http://127.0.0.1:5099
// Options bind from the "Emulator" configuration section (e.g. --Emulator:SoundCharts:NotFoundRate=0.1).
var builder = WebApplication.CreateBuilder(args);
var options = builder.Configuration.GetSection("Emulator").Get<EmulatorOptions>() ?? new EmulatorOptions();
if (options.SoundChartsKeys.Count == 0)
{
    // SoundCharts' public sandbox credentials, so a bare start is usable at once.
    options.SoundChartsKeys.Add(new SoundChartsKeyOptions { AppId = "soundcharts", ApiKey = "soundcharts" });
}

var app = builder.Build();
UpstreamEmulator.MapEmulator(app, new EmulatorState(options));
app.Run();
