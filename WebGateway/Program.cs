using TrackGrains.Silo.Hosting;
using TrackGrains.WebGateway.Hosting;

var builder = WebApplication.CreateBuilder(args);
await builder.AddDemoModeAsync(args);
builder.UseTrackSilo(silo => silo.AddTrackDashboard());
builder.AddTrackGateway();
builder.AddTrackPages();

var app = builder.Build();
app.MapTrackGateway();
app.MapTrackPages();
await app.RunAsync();
