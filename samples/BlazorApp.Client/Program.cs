using Microsoft.AspNetCore.Components.WebAssembly.Hosting;

var builder = WebAssemblyHostBuilder.CreateDefault(args);

// The same ISession<T> as on the server, over the server's client API (app.MapTypedSessionsClientApi()).
builder.Services.AddTypedSessionsWebAssembly();

await builder.Build().RunAsync();
