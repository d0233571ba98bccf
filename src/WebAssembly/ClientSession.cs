using System.Net;
using TypedSessions.Serialization;

namespace TypedSessions.WebAssembly;

/// <summary>
/// <see cref="ISession{T}"/> in the browser: the same contract as on the server, over the client API.
/// <see cref="UpdateAsync"/> is a compare-and-set on the slot's version (<c>If-Match</c>); a 412 brings the
/// current bytes, and the update runs again on them.
/// </summary>
internal sealed class ClientSession<T>(SessionHub hub) : ISession<T> where T : ISessionState<T>
{
    public async ValueTask<T> GetAsync(CancellationToken cancellationToken = default) =>
        (await CurrentAsync(cancellationToken).ConfigureAwait(false)).Value;

    public async ValueTask SetAsync(T value, CancellationToken cancellationToken = default)
    {
        var data = SessionStateSerializer.SerializeToArray(value);
        using var response = await hub.Api.SendAsync(HttpMethod.Put, hub.Api.StatePath(T.SessionKey), data, ifMatch: null, cancellationToken).ConfigureAwait(false);
        await SavedAsync(response, data, value, "set", cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<T> UpdateAsync(Func<T, T> update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        return (await ChangeAsync(update, takeOnly: false, cancellationToken).ConfigureAwait(false)).After;
    }

    public async ValueTask<T> TakeAsync(CancellationToken cancellationToken = default) =>
        (await ChangeAsync(static _ => T.CreateDefault(), takeOnly: true, cancellationToken).ConfigureAwait(false)).Before;

    public async ValueTask ResetAsync(CancellationToken cancellationToken = default)
    {
        using var response = await hub.Api.SendAsync(HttpMethod.Delete, hub.Api.StatePath(T.SessionKey), body: null, ifMatch: null, cancellationToken).ConfigureAwait(false);
        await SavedAsync(response, [], T.CreateDefault(), "reset", cancellationToken).ConfigureAwait(false);
    }

    public IDisposable Subscribe(Func<Task> onChanged) => hub.Watch(T.SessionKey, onChanged);

    private async ValueTask<(T Before, T After)> ChangeAsync(Func<T, T> update, bool takeOnly, CancellationToken cancellationToken)
    {
        var current = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            if (takeOnly && current.Data.Length == 0)
            {
                return (current.Value, current.Value);
            }

            var next = update(current.Value);
            var data = SessionStateSerializer.SerializeToArray(next);
            if (data.AsSpan().SequenceEqual(current.Data))
            {
                return (current.Value, next);
            }

            using var response = await hub.Api.SendAsync(HttpMethod.Put, hub.Api.StatePath(T.SessionKey), data, current.Version, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.PreconditionFailed)
            {
                await SavedAsync(response, data, next, "update", cancellationToken).ConfigureAwait(false);
                return (current.Value, next);
            }

            // Someone else wrote first: the answer carries what is stored now; run the update on that.
            current = await ReadAsync(response, cancellationToken).ConfigureAwait(false);
            if (attempt >= hub.MaxUpdateAttempts)
            {
                throw new SessionConflictException(
                    $"The session state '{T.SessionKey}' changed under every one of {hub.MaxUpdateAttempts} update attempts.");
            }
        }
    }

    private async ValueTask<(T Value, long Version, byte[] Data)> CurrentAsync(CancellationToken cancellationToken)
    {
        if (hub.TryGetCurrent(T.SessionKey, out var entry))
        {
            return (ValueOf(entry.Value, entry.Data, entry.Version), entry.Version, entry.Data);
        }

        using var response = await hub.Api.SendAsync(HttpMethod.Get, hub.Api.StatePath(T.SessionKey), body: null, ifMatch: null, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            await SessionApi.ThrowFailureAsync(response, $"reading '{T.SessionKey}'", cancellationToken).ConfigureAwait(false);
        }

        return await ReadAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<(T Value, long Version, byte[] Data)> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var data = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var version = VersionOf(response);
        var value = ValueOf(null, data, version);
        hub.Observed(T.SessionKey, version, data, value);
        return (value, version, data);
    }

    private async ValueTask SavedAsync(HttpResponseMessage response, byte[] data, T value, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            await SessionApi.ThrowFailureAsync(response, $"{what} of '{T.SessionKey}'", cancellationToken).ConfigureAwait(false);
        }

        hub.Observed(T.SessionKey, VersionOf(response), data, value);
    }

    private T ValueOf(object? cached, byte[] data, long version)
    {
        if (cached is T value)
        {
            return value;
        }

        // Bytes a newer or older server wrote are read as the server reads them: migrated, or the default.
        value = data.Length == 0 ? T.CreateDefault() : SessionStateSerializer.Deserialize<T>(data).Value;
        hub.CacheValue(T.SessionKey, version, value);
        return value;
    }

    private static long VersionOf(HttpResponseMessage response) =>
        SessionClientProtocol.TryParseETag(response.Headers.ETag?.Tag, out var version) ? version : 0;
}
