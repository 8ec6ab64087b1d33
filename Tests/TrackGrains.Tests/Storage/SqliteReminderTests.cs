using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using TrackGrains.Silo.Storage;
using Xunit.Abstractions;

namespace TrackGrains.Tests.Storage;

[Collection(StorageTestCollection.Name)]
public sealed class SqliteReminderTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDatabase _database = new();

    [Fact]
    public async Task A_reminder_registered_in_one_host_is_stored_and_fires_in_the_next_host()
    {
        var grainKey = $"reminder-{Guid.NewGuid():N}";
        using var source = new SqliteConnectionSource(_database.DatabasePath);
        static void FastReminders(ISiloBuilder silo) =>
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));

        var first = await TestSilo.StartAsync(source, FastReminders);
        await first.Grains().GetGrain<IReminderProbeGrain>(grainKey).Start(TimeSpan.FromSeconds(1));
        await TestSilo.StopAsync(first);

        var row = Assert.Single(_database.Rows("SELECT GrainId, ReminderName, Period, Version FROM OrleansRemindersTable;"));
        Assert.Contains(grainKey, row, StringComparison.Ordinal);
        Assert.EndsWith($"| {ReminderProbeGrain.ReminderName} | 1000 | 0", row, StringComparison.Ordinal);

        var second = await TestSilo.StartAsync(source, FastReminders);
        try
        {
            var secondSilo = second.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
            var waited = Stopwatch.StartNew();
            while (!ReminderTicks.Received(grainKey, secondSilo) && waited.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(100);
            }

            output.WriteLine($"First tick in the second host after {waited.ElapsedMilliseconds} ms");
            Assert.True(ReminderTicks.Received(grainKey, secondSilo), "the reminder did not fire in the second host within 20 s");
        }
        finally
        {
            await TestSilo.StopAsync(second);
        }
    }

    public void Dispose() => _database.Dispose();
}
