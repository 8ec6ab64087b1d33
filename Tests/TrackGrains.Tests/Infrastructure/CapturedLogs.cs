using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TrackGrains.Tests.Infrastructure;

/// <summary>Keeps every formatted log line (and exception text) of a test server, to check what reaches logs.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private const int MaxLines = 200_000;
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(string line)
    {
        if (_lines.Count < MaxLines)
        {
            _lines.Enqueue(line);
        }
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}"))
                : "";
            owner.Add($"{logLevel} {category}: {formatter(state, exception)} {structured} {exception}");
        }
    }
}
