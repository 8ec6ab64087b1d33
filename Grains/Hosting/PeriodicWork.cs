namespace TrackGrains.Grains.Hosting;

/// <summary>
/// The loop of a background service that does a round of work every interval. A failed round is reported and the
/// next one tries again, whatever it threw: a grain call in flight to a silo that dies ends in an
/// <see cref="OperationCanceledException"/> too, and letting that out would end the service and, by the host's
/// default, the whole process. Only the host stopping ends the loop.
/// </summary>
public static class PeriodicWork
{
    public static async Task RunAsync(TimeSpan interval, TimeProvider time, Func<CancellationToken, Task> round,
        Action<Exception> roundFailed, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await round(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    roundFailed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
