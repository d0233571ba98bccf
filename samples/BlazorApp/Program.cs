using BlazorApp;
using BlazorApp.Components;
using BlazorApp.Endpoints;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents()
    .AddInteractiveWebAssemblyComponents();
builder.Services.AddRazorPages();

// Typed session state, in memory unless configuration picks another store (SessionSetup.cs).
builder.AddSampleSessions();

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
    app.UseHsts();
}

app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseTypedSessions();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapSeedEndpoints();
app.MapCartApi();
app.MapTypedSessionsClientApi();             // what the WebAssembly pages' ISession<Cart> talks to
app.MapRazorPages();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode()
    .AddInteractiveWebAssemblyRenderMode()
    .AddAdditionalAssemblies(typeof(BlazorApp.Client.Pages.CartPanel).Assembly);

app.Run();

/// <summary>The sample's entry point; public so that tests can host it.</summary>
public partial class Program;
