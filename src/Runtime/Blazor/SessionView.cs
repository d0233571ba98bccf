using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace TypedSessions.Blazor;

/// <summary>
/// Shows a session state and re-renders when it changes anywhere: this component's own writes,
/// another tab, another request such as a form post. Works in static SSR (renders once) and in
/// interactive Server components (stays live until the component or the circuit goes away).
/// </summary>
/// <example>
/// <code>
/// &lt;SessionView T="Cart" Context="cart"&gt;
///     &lt;p&gt;@cart.ItemCount items&lt;/p&gt;
/// &lt;/SessionView&gt;
/// </code>
/// </example>
/// <typeparam name="T">A <c>[SessionState]</c> type.</typeparam>
public sealed class SessionView<T> : ComponentBase, IDisposable where T : ISessionState<T>
{
    private T? _value;
    private bool _loaded;
    private IDisposable? _subscription;

    /// <summary>What to render with the current value.</summary>
    [Parameter]
    public RenderFragment<T>? ChildContent { get; set; }

    /// <summary>What to render until the first value is loaded (nothing by default).</summary>
    [Parameter]
    public RenderFragment? Loading { get; set; }

    [Inject]
    private ISession<T> Session { get; set; } = default!;

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        _subscription = Session.Subscribe(() => InvokeAsync(RefreshAsync));
        _value = await Session.GetAsync();
        _loaded = true;
    }

    /// <inheritdoc />
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        if (_loaded)
        {
            builder.AddContent(0, ChildContent, _value!);
        }
        else
        {
            builder.AddContent(1, Loading);
        }
    }

    private async Task RefreshAsync()
    {
        _value = await Session.GetAsync();
        _loaded = true;
        StateHasChanged();
    }

    /// <inheritdoc />
    public void Dispose() => _subscription?.Dispose();
}
