using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using TypedSessions.Core;
using TypedSessions.Serialization;

namespace TypedSessions.ClientApi;

/// <summary>
/// Hands the client-readable states a prerendered page read to the WebAssembly components it resumes as
/// (persistent component state), so they show the server's value at once, without a fetch on first render.
/// </summary>
/// <remarks>
/// Registered for the requests that render Razor components while the client API is mapped. The callback
/// runs only when the page has WebAssembly (or Auto) components to hand state to, and carries only what
/// this request already read: it costs the store nothing.
/// </remarks>
internal sealed class WebAssemblyHandoff(ActiveSession session, PersistentComponentState state) : IDisposable
{
    private PersistingComponentStateSubscription? _subscription;

    public void Register()
    {
        try
        {
            _subscription ??= state.RegisterOnPersisting(Persist, RenderMode.InteractiveWebAssembly);
        }
        catch (InvalidOperationException)
        {
            // Persisting already ran (a response that renders no components): nothing to hand over.
        }
    }

    public void Dispose() => _subscription?.Dispose();

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "A string needs no metadata the trimmer could remove.")]
    private Task Persist()
    {
        foreach (var slot in session.LoadedSlots)
        {
            if (ClientStates.Find(slot.Key) is not null)
            {
                var data = slot.Data is { } bytes ? bytes.Span : default;
                state.PersistAsJson(SessionClientProtocol.HandoffKey(slot.Key), SessionClientProtocol.EncodeSlot(slot.Version, data));
            }
        }

        return Task.CompletedTask;
    }
}
