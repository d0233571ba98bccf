using System.Text.Json;
using TypedSessions;
using TypedSessions.LoadApp;

// dotnet TypedSessions.LoadApp.dll --urls http://127.0.0.1:PORT [--Store=redis --Redis=127.0.0.1:PORT]
// Three families of endpoints on the same cart, each with a read (GET) and a read-modify-write (POST):
//   /none/...    no session: the same work on a cart held in a static field
//   /aspnet/...  ASP.NET Core's session (AddSession) over the distributed memory cache or Redis
//   /typed/...   TypedSessions (ISession<Cart>) over its memory store or its Redis store
// Each family's middleware runs only on its own paths, so that /none pays for no session at all.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var redis = builder.Configuration["Store"] == "redis"
    ? builder.Configuration["Redis"] ?? throw new InvalidOperationException("--Redis=host:port is required with --Store=redis.")
    : null;

builder.Services.AddSession();
var typed = builder.Services.AddTypedSessions();
if (redis is null)
{
    builder.Services.AddDistributedMemoryCache();
    typed.UseMemoryStore();
}
else
{
    builder.Services.AddStackExchangeRedisCache(o =>
    {
        o.Configuration = redis;
        o.InstanceName = "aspnet:";
    });
    typed.UseRedisStore(o => o.Configuration = redis);
}

var app = builder.Build();
app.UseWhen(static c => c.Request.Path.StartsWithSegments("/aspnet"), static b => b.UseSession());
app.UseWhen(static c => c.Request.Path.StartsWithSegments("/typed"), static b => b.UseTypedSessions());

var shared = Cart.Sample;
app.MapGet("/none/read", () => shared.Lines.Count);
app.MapPost("/none/rmw", () => (shared = shared.AddOne()).Lines[0].Quantity);

app.MapGet("/aspnet/read", static async (HttpContext context) => (await ReadAsync(context.Session)).Lines.Count);
app.MapPost("/aspnet/rmw", static async (HttpContext context) =>
{
    var cart = (await ReadAsync(context.Session)).AddOne();
    context.Session.Set("cart", JsonSerializer.SerializeToUtf8Bytes(cart, CartJson.Default.Cart));
    return cart.Lines[0].Quantity;
});

app.MapGet("/typed/read", static async (ISession<Cart> cart) => (await cart.GetAsync()).Lines.Count);
app.MapPost("/typed/rmw", static async (ISession<Cart> cart) => (await cart.UpdateAsync(static c => c.AddOne())).Lines[0].Quantity);

// An update that changes nothing: counted by http-load.sh, which expects no write to the store.
app.MapPost("/typed/same", static async (ISession<Cart> cart) => (await cart.UpdateAsync(static c => c)).Lines.Count);

app.Run();

static async Task<Cart> ReadAsync(ISession session)
{
    await session.LoadAsync();
    return session.Get("cart") is { } bytes ? JsonSerializer.Deserialize(bytes, CartJson.Default.Cart)! : new Cart();
}
