using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace TypedSessions.Runtime.Tests;

/// <summary>
/// The TypedSessions meter, activity source, health check and problem-details answers, observed the way
/// an application's telemetry sees them (MeterListener, ActivityListener, the health endpoint).
/// </summary>
public sealed class ObservabilityTests
{
    [Fact]
    public async Task The_meter_counts_the_lifecycle_slots_and_store_durations()
    {
        await using var app = await TestApp.StartAsync();
        var factory = app.Services.GetRequiredService<IMeterFactory>();
        var measured = new List<(string Name, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "TypedSessions" && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        listener.Start();

        var browser = app.NewClient();
        await browser.PostAsync("/counter/increment");
        await browser.GetAsync("/counter");
        await browser.PostAsync("/renew");
        await browser.PostAsync("/invalidate");
        listener.RecordObservableInstruments();

        double Sum(string name) => Snapshot().Where(m => m.Name == name).Sum(static m => m.Value);
        Assert.Equal(1, Sum("typedsessions.sessions.created"));
        Assert.Equal(1, Sum("typedsessions.sessions.renewed"));
        Assert.Equal(1, Sum("typedsessions.sessions.invalidated"));
        Assert.True(Sum("typedsessions.slot.saves") >= 1);
        Assert.True(Sum("typedsessions.slot.loads") >= 1);
        var durations = Snapshot().Where(static m => m.Name == "typedsessions.store.operation.duration").ToList();
        Assert.Contains(durations, static d => Equals(d.Tags["typedsessions.operation"], "save") && Equals(d.Tags["typedsessions.store"], "counting"));
        Assert.Contains(durations, static d => Equals(d.Tags["typedsessions.operation"], "destroy"));
        Assert.All(durations, static d => Assert.InRange(d.Value, 0, 10));
        Assert.Contains(Snapshot(), static m => m.Name == "typedsessions.memory.sessions");
        Assert.Contains(Snapshot(), static m => m.Name == "typedsessions.memory.bytes");

        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (key, tag) in tags)
            {
                copy[key] = tag;
            }

            lock (measured)
            {
                measured.Add((instrument.Name, value, copy));
            }
        }

        List<(string Name, double Value, Dictionary<string, object?> Tags)> Snapshot()
        {
            lock (measured)
            {
                return [.. measured];
            }
        }
    }

    [Fact]
    public async Task Every_store_call_is_a_span_with_its_store_and_operation()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = static source => source.Name == "TypedSessions",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                lock (spans)
                {
                    spans.Add(a);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var app = await TestApp.StartAsync(store: new UnreachableStore());

        await app.NewClient().SendRawAsync(HttpMethod.Post, "/note/x");
        await using var healthy = await TestApp.StartAsync();
        await healthy.NewClient().PostAsync("/note/x");

        lock (spans)
        {
            Assert.Contains(spans, static s => s.DisplayName == "TypedSessions save" && Equals(s.GetTagItem("typedsessions.operation"), "save") && s.Status == ActivityStatusCode.Unset);
            Assert.Contains(spans, static s => s.DisplayName == "TypedSessions save" && s.Status == ActivityStatusCode.Error);
        }
    }

    [Fact]
    public async Task The_health_check_reports_each_store()
    {
        static void Health(IServiceCollection services) => services.AddHealthChecks().AddTypedSessions();
        static void Endpoint(WebApplication app) => app.MapHealthChecks("/health");
        await using var up = await TestApp.StartAsync(services: Health, endpoints: Endpoint, stores: s => s.UseCookieStoreFor<Note>());
        await using var down = await TestApp.StartAsync(store: new UnreachableStore(), services: Health, endpoints: Endpoint);

        var healthy = await up.NewClient().SendRawAsync(HttpMethod.Get, "/health");
        var unhealthy = await down.NewClient().SendRawAsync(HttpMethod.Get, "/health");

        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        Assert.Equal("Healthy", await healthy.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unhealthy.StatusCode);
        Assert.Equal("Unhealthy", await unhealthy.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_outage_is_answered_as_problem_details_when_the_app_uses_them_with_the_configured_retry_after()
    {
        await using var app = await TestApp.StartAsync(
            o => o.StoreUnavailableRetryAfter = TimeSpan.FromSeconds(30),
            store: new UnreachableStore(),
            services: static s => s.AddProblemDetails());

        var response = await app.NewClient().SendRawAsync(HttpMethod.Post, "/note/lost");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(30), response.Headers.RetryAfter!.Delta);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("The session store is unavailable", problem.RootElement.GetProperty("title").GetString());
    }
}
