using System.Net;

namespace TypedSessions.Packaging.Tests;

/// <summary>
/// The packages as a newcomer meets them: a fresh app from each SDK template (<c>web</c>, <c>razor</c>,
/// <c>blazor --interactivity Server</c>) references the packed packages, adds a <c>[SessionState]</c>
/// record and a use of <c>ISession&lt;T&gt;</c> (no <c>using TypedSessions;</c>: the package's global
/// using supplies it), builds without a warning with the trimming and AOT analyzers on, runs, and keeps
/// a value across two requests.
/// </summary>
/// <remarks>
/// Everything TypedSessions adds lives in files of its own (Cart.cs, Sessions.cs, a page), analyzed in
/// full. ASP.NET Core's Razor Pages and Blazor are not trimmable themselves: the template's own calls to
/// them are exempted where they stand (a pragma in Program.cs and in the Blazor template's router), not
/// by project-wide NoWarn. The minimal API app uses the request delegate generator, as AOT apps do.
/// </remarks>
public sealed class TemplateConsumerTests(PackagesFixture packages) : IClassFixture<PackagesFixture>
{
    private static readonly (string, string)[] Strict =
    [
        ("TreatWarningsAsErrors", "true"),
        ("IsAotCompatible", "true"),
    ];

    [Fact]
    public async Task A_class_library_of_states_needs_only_the_abstractions_package()
    {
        // No ASP.NET Core anywhere: what a Blazor WebAssembly project or a shared states library references.
        await using var library = await ConsumerApp.CreateAsync(packages, "ShopStates", "classlib");
        library.EditProject(packages, ["TypedSessions.Abstractions"], Strict);
        library.Write("Cart.cs", """
            using System.Collections.Immutable;
            using TypedSessions;

            namespace ShopStates;

            [SessionState("cart")]
            public partial record Cart(ImmutableList<string> Items)
            {
                public Cart() : this(ImmutableList<string>.Empty) { }
            }

            public static class CartBytes
            {
                public static byte[] Of(Cart cart) => TypedSessions.Serialization.SessionStateSerializer.SerializeToArray(cart);
            }
            """);

        await library.BuildAsync();
        Assert.DoesNotContain("Microsoft.AspNetCore", File.ReadAllText(Path.Combine(library.Directory, "obj", "project.assets.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_minimal_api_app_from_dotnet_new_web_keeps_a_typed_session()
    {
        await using var app = await ConsumerApp.CreateAsync(packages, "WebShop", "web");
        app.EditProject(packages, ["TypedSessions"], [.. Strict, ("EnableRequestDelegateGenerator", "true")]);
        WriteCart(app);
        app.Write("Sessions.cs", """
            namespace WebShop;

            public static class Sessions
            {
                public static void AddShopSessions(this WebApplicationBuilder builder) =>
                    builder.Services.AddTypedSessions(o => o.IdleTimeout = TimeSpan.FromMinutes(30)).UseMemoryStore();

                public static void MapCart(this WebApplication app)
                {
                    app.MapPost("/cart/{item}", async (string item, ISession<Cart> cart) =>
                        (await cart.UpdateAsync(c => c with { Items = c.Items.Add(item) })).Items.Count);
                    app.MapGet("/cart", async (ISession<Cart> cart) => string.Join(",", (await cart.GetAsync()).Items));
                }
            }
            """);
        app.Insert("Program.cs", null, "using WebShop;");
        app.Insert("Program.cs", "WebApplication.CreateBuilder(args);", "builder.AddShopSessions();");
        app.Insert("Program.cs", "builder.Build();", "app.UseTypedSessions();\napp.MapCart();");

        await app.BuildAsync();
        await app.StartAsync();

        using var http = Client(app, out var cookies);
        Assert.Equal("1", await Send(http, HttpMethod.Post, "/cart/mug"));
        Assert.Equal("2", await Send(http, HttpMethod.Post, "/cart/kettle"));
        Assert.Equal("mug,kettle", await Send(http, HttpMethod.Get, "/cart"));
        Assert.Single(cookies.GetAllCookies());
        using var stranger = Client(app, out _);
        Assert.Equal("", await Send(stranger, HttpMethod.Get, "/cart"));
    }

    [Fact]
    public async Task A_razor_pages_app_from_dotnet_new_razor_keeps_a_typed_session_in_sqlite()
    {
        await using var app = await ConsumerApp.CreateAsync(packages, "RazorShop", "razor");
        app.EditProject(packages, ["TypedSessions.Sqlite"], Strict); // TypedSessions comes with it
        WriteCart(app);
        app.Write("Sessions.cs", """
            namespace RazorShop;

            public static class Sessions
            {
                public static void AddShopSessions(this WebApplicationBuilder builder) =>
                    builder.Services.AddTypedSessions()
                        .UseSqliteStore(o => o.ConnectionString = $"Data Source={Path.Combine(builder.Environment.ContentRootPath, "sessions.db")}");
            }
            """);
        app.Write("Pages/Cart.cshtml.cs", """
            using Microsoft.AspNetCore.Mvc.RazorPages;

            namespace RazorShop.Pages;

            public class CartModel(ISession<Cart> session) : PageModel
            {
                public Cart Cart { get; private set; } = new();

                public async Task OnGetAsync(string? add) =>
                    Cart = add is null ? await session.GetAsync() : await session.UpdateAsync(c => c with { Items = c.Items.Add(add) });
            }
            """);
        app.Write("Pages/Cart.cshtml", """
            @page
            @model CartModel

            <p id="cart">@string.Join(",", Model.Cart.Items)</p>
            """);
        ExemptFrameworkRegistrations(app, "Razor Pages");
        app.Insert("Program.cs", "WebApplication.CreateBuilder(args);", "builder.AddShopSessions();");
        app.Insert("Program.cs", "builder.Build();", "app.UseTypedSessions();");

        await AssertCartAcrossRequestsAsync(app, "/Cart");
    }

    [Fact]
    public async Task A_blazor_server_app_from_dotnet_new_blazor_keeps_a_typed_session()
    {
        await using var app = await ConsumerApp.CreateAsync(packages, "BlazorShop", "blazor", "--interactivity", "Server");
        app.EditProject(packages, ["TypedSessions", "TypedSessions.Redis"], Strict);
        WriteCart(app);
        app.Write("Sessions.cs", """
            namespace BlazorShop;

            public static class Sessions
            {
                // In memory unless a Redis server is configured (none is, in this test).
                public static void AddShopSessions(this WebApplicationBuilder builder)
                {
                    var sessions = builder.Services.AddTypedSessions();
                    if (builder.Configuration.GetConnectionString("Redis") is { } redis)
                    {
                        sessions.UseRedisStore(o => o.Configuration = redis);
                    }
                }
            }
            """);
        app.Write("Components/Pages/CartPage.razor", """
            @page "/cart"
            @inject ISession<Cart> Session

            <p id="cart">@string.Join(",", cart.Items)</p>

            @code {
                private Cart cart = new();

                [SupplyParameterFromQuery]
                public string? Add { get; set; }

                protected override async Task OnInitializedAsync() =>
                    cart = Add is null ? await Session.GetAsync() : await Session.UpdateAsync(c => c with { Items = c.Items.Add(Add) });
            }
            """);
        ExemptFrameworkRegistrations(app, "Blazor");
        app.Insert("Components/Routes.razor", null, "@* The template's router is framework code that is not trim-annotated. *@\n@{\n#pragma warning disable IL2111\n}");
        app.Insert("Program.cs", "WebApplication.CreateBuilder(args);", "builder.AddShopSessions();");
        app.Insert("Program.cs", "builder.Build();", "app.UseTypedSessions();");

        await AssertCartAcrossRequestsAsync(app, "/cart");
    }

    [Fact]
    public async Task An_auto_app_from_dotnet_new_blazor_reads_a_client_state_through_the_client_api()
    {
        await using var app = await ConsumerApp.CreateWithClientAsync(packages, "AutoShop", "blazor", "--interactivity", "Auto");
        // The template pins WebAssembly.Server 10.0.12; the registry copy here has 10.0.14 (NU1603, harmless).
        app.EditProject(packages, ["TypedSessions"], [.. Strict, ("NoWarn", "$(NoWarn);NU1603")]);
        var client = $"../{app.Name}.Client/";
        app.Insert(client + $"{app.Name}.Client.csproj", "<ItemGroup>", $"    <PackageReference Include=\"TypedSessions.WebAssembly\" Version=\"{packages.Version}\" />");
        app.Insert(client + $"{app.Name}.Client.csproj", "<PropertyGroup>", "    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>");
        app.Write(client + "Cart.cs", """
            using System.Collections.Immutable;

            namespace AutoShop.Client;

            [SessionState("cart", ClientAccess = SessionClientAccess.ReadWrite)]
            public partial record Cart(ImmutableList<string> Items)
            {
                public Cart() : this(ImmutableList<string>.Empty) { }
            }
            """);
        app.Insert(client + "Program.cs", "WebAssemblyHostBuilder.CreateDefault(args);", "builder.Services.AddTypedSessionsWebAssembly();");
        app.Write("Sessions.cs", """
            namespace AutoShop;

            public static class Sessions
            {
                public static void AddShopSessions(this WebApplicationBuilder builder) => builder.Services.AddTypedSessions();

                public static void MapShopSessions(this WebApplication app) => app.MapTypedSessionsClientApi();
            }
            """);
        ExemptFrameworkRegistrations(app, "Blazor");
        app.Insert("Components/Routes.razor", null, "@* The template's router is framework code that is not trim-annotated. *@\n@{\n#pragma warning disable IL2111\n}");
        app.Insert("Program.cs", "WebApplication.CreateBuilder(args);", "builder.AddShopSessions();");
        app.Insert("Program.cs", "builder.Build();", "app.UseTypedSessions();");
        app.Insert("Program.cs", "app.UseAntiforgery();", "app.MapShopSessions();");

        await app.BuildAsync();
        await app.StartAsync();

        // The client's state is reachable through the client API the WebAssembly ISession<Cart> uses.
        using var http = Client(app, out _);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/_typedsessions/api/state/cart", UriKind.Relative));
        request.Headers.Add("X-TypedSessions", "client");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"0\"", response.Headers.ETag?.Tag);
    }

    private static void WriteCart(ConsumerApp app) => app.Write("Cart.cs", $$"""
        using System.Collections.Immutable;

        namespace {{app.Name}};

        [SessionState("cart")]
        public partial record Cart(ImmutableList<string> Items)
        {
            public Cart() : this(ImmutableList<string>.Empty) { }
        }
        """);

    private static void ExemptFrameworkRegistrations(ConsumerApp app, string framework) =>
        app.Insert("Program.cs", null, $"#pragma warning disable IL2026, IL3050 // the template's {framework} registrations: the framework is not trimmable\nusing {app.Name};");

    private static async Task AssertCartAcrossRequestsAsync(ConsumerApp app, string page)
    {
        await app.BuildAsync();
        await app.StartAsync();

        using var http = Client(app, out var cookies);
        Assert.Contains("<p id=\"cart\">mug</p>", await Send(http, HttpMethod.Get, page + "?add=mug"), StringComparison.Ordinal);
        Assert.Contains("<p id=\"cart\">mug,kettle</p>", await Send(http, HttpMethod.Get, page + "?add=kettle"), StringComparison.Ordinal);
        Assert.Contains("<p id=\"cart\">mug,kettle</p>", await Send(http, HttpMethod.Get, page), StringComparison.Ordinal);
        Assert.Contains(cookies.GetAllCookies(), c => c.Name == "TypedSessions");
        using var stranger = Client(app, out _);
        Assert.Contains("<p id=\"cart\"></p>", await Send(stranger, HttpMethod.Get, page), StringComparison.Ordinal);
    }

    private static HttpClient Client(ConsumerApp app, out CookieContainer cookies)
    {
        cookies = new CookieContainer();
        return new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    private static async Task<string> Send(HttpClient http, HttpMethod method, string path)
    {
        using var response = await http.SendAsync(new HttpRequestMessage(method, new Uri(path, UriKind.Relative)));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode}\n{body}");
        return body;
    }
}
