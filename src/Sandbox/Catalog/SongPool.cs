using System.Globalization;

namespace FunctionsCrawler.Sandbox.Catalog;

/// <summary>
/// The songs every playlist draws its tracks from: a pool about 20× smaller than the catalogue's track slots, so songs
/// repeat across playlists, drawn with a popularity skew (a few songs are in many playlists). Nothing is stored: a song
/// is made from its place in the pool, and its id says that place (with a seeded check), so the song detail API knows
/// any id without a table and tells unknown ones apart.
/// </summary>
internal sealed class SongPool
{
    /// <summary>Songs are grouped in albums of this many consecutive places (the API's <c>no</c> is 1..8).</summary>
    public const int TracksPerAlbum = 8;

    private const int SlotsPerSong = 20;
    private const long AverageTracks = 500;                    // the day-0 track counts are 1..999
    private const int MinSongs = 50_000;                       // room for the longest lists (3,000 distinct songs)
    private const int MaxSongs = 10_000_000;
    private const int SongsPerArtist = 40;
    private const long AlbumIdBase = 10_000;
    private const long AlbumIdSpread = 100;
    private const long ArtistIdBase = 1_000;
    private const long ArtistIdSpread = 97;
    private const double HostileRate = 0.01;
    // A prime above every pool size, so rank → place (× Scatter + offset, mod Count) is a bijection.
    private const long Scatter = 2_654_435_761;

    /// <summary>
    /// Id magnitudes, one band per residue of the album's place mod 20: 10 % 6–7 digits (the early catalogue), 30 %
    /// 8 digits, 15 % 9 digits, 35 % 10 digits below 2^31, 10 % above 2^31 (today's newest songs).
    /// </summary>
    private static readonly (long From, long To, int Bands)[] Ranges =
    [
        (100_000, 10_000_000, 2),
        (10_000_000, 100_000_000, 6),
        (100_000_000, 1_000_000_000, 3),
        (1_000_000_000, 2_147_483_648, 7),
        (2_147_483_648, 2_800_000_000, 2),
    ];

    private static readonly (long From, long Width)[] Bands = [.. Ranges.SelectMany(range =>
        Enumerable.Range(0, range.Bands).Select(band => (range.From + band * ((range.To - range.From) / range.Bands), (range.To - range.From) / range.Bands)))];

    private readonly int _seed;
    private readonly string _siteRoot;
    private readonly CoverAddress _covers;
    private readonly long _perBand;
    private readonly long _offset;
    private readonly int _artists;
    // Ids and versions are made for every entry of every list: a salted mix is cheaper than hashing a label each time.
    private readonly ulong _idSalt;
    private readonly ulong _versionSalt;

    public SongPool(SandboxOptions options, string siteRoot, CoverAddress covers)
    {
        _seed = options.Seed;
        _siteRoot = siteRoot;
        _covers = covers;
        var slots = CategoryNames.Listed.Append(CategoryNames.All).Sum(category => (long)CategoryPages.ListedCount(category, options)) * AverageTracks;
        var unit = TracksPerAlbum * Bands.Length;
        Count = (int)(Math.Clamp(slots / SlotsPerSong, MinSongs, MaxSongs) / unit * unit);
        _perBand = Count / Bands.Length;
        _offset = (long)(StableHash.Of(_seed, "song-pool-offset") % (ulong)Count);
        _artists = Math.Max(1, Count / SongsPerArtist);
        _idSalt = StableHash.Of(_seed, "song-id");
        _versionSalt = StableHash.Of(_seed, "song-version");
    }

    /// <summary>Songs in the pool.</summary>
    public int Count { get; }

    /// <summary>
    /// A place in the pool, drawn with a popularity skew (rank = Count × u^1.5: the top thousandth of the songs gets 1 % of
    /// the draws), then ranks are scattered over the places so popularity says nothing about the id.
    /// </summary>
    public int Draw(SeededSequence random)
    {
        var u = random.NextDouble();
        var rank = (long)(Count * u * Math.Sqrt(u));
        return (int)((rank * Scatter + _offset) % Count);
    }

    /// <summary>The id of the song at <paramref name="place"/>.</summary>
    public long Id(int place)
    {
        var (band, slot) = BandSlot(place);
        var (from, width) = Bands[band];
        var stride = width / _perBand;
        return from + slot * stride + Jitter(band, slot, stride);
    }

    /// <summary>The place of a song id, or false for a number that is not one of the pool's ids.</summary>
    public bool TryPlace(long id, out int place)
    {
        place = 0;
        for (var band = 0; band < Bands.Length; band++)
        {
            var (from, width) = Bands[band];
            if (id < from || id >= from + width)
                continue;
            var stride = width / _perBand;
            var slot = (id - from) / stride;
            if (slot >= _perBand || id != from + slot * stride + Jitter(band, slot, stride))
                return false;
            var album = band + Bands.Length * (slot / TracksPerAlbum);
            place = (int)(album * TracksPerAlbum + slot % TracksPerAlbum);
            return true;
        }
        return false;
    }

    /// <summary>The song's <c>v</c>, cheap enough for every entry of a long <c>trackIds</c>.</summary>
    public int Version(int place) => 1 + (int)(StableHash.Mix(_versionSalt ^ (ulong)place) % 40);

    public SandboxSong Song(int place)
    {
        var random = new SeededSequence(StableHash.Of(_seed, "song", place));
        var (name, hostile) = Name(random);
        var album = place / TracksPerAlbum;
        var albumRandom = new SeededSequence(StableHash.Of(_seed, "album", album));
        var albumArtist = (int)albumRandom.Next(_artists);
        // Half the albums are named after their first song, as a single is.
        var albumName = albumRandom.Chance(0.5)
            ? Words(albumRandom)
            : Name(new SeededSequence(StableHash.Of(_seed, "song", album * TracksPerAlbum))).Name;
        var albumId = AlbumId(album);

        var featured = random.Next(100) switch { < 80 => 0, < 95 => 1, _ => 2 };
        var artists = new List<SandboxArtist>(1 + featured) { Artist(albumArtist) };
        while (artists.Count < 1 + featured)
        {
            var other = Artist((int)random.Next(_artists));
            if (!artists.Contains(other))
                artists.Add(other);
        }
        return new SandboxSong(
            Id(place), name, artists,
            new SandboxAlbum(albumId, albumName, _siteRoot + _covers.Path(albumId, ImagePurpose.Album)),
            Duration(random), Version(place), place % TracksPerAlbum + 1, hostile);
    }

    /// <summary>An album id of the pool (its picture is served), or false.</summary>
    public bool IsAlbum(long albumId)
    {
        if (albumId < AlbumIdBase)
            return false;
        var album = (albumId - AlbumIdBase) / AlbumIdSpread;
        return album < Count / TracksPerAlbum && AlbumId(album) == albumId;
    }

    private long AlbumId(long album) =>
        AlbumIdBase + album * AlbumIdSpread + (long)(StableHash.Of(_seed, "album-id", album) % (ulong)AlbumIdSpread);

    /// <summary>A song's name: ordinary words, or for one in a hundred a hostile-text set's playlist name.</summary>
    private static (string Name, bool Hostile) Name(SeededSequence random) =>
        random.Chance(HostileRate)
            ? (HostileText.Sets[(int)random.Next(HostileText.Sets.Count)].Name, true)
            : (Words(random), false);

    /// <summary>Where in its stride an id sits: the seeded check that tells the pool's ids from other numbers.</summary>
    private long Jitter(int band, long slot, long stride) => (long)(StableHash.Mix(_idSalt ^ StableHash.Mix((ulong)(slot * Bands.Length + band))) % (ulong)stride);

    private static (int Band, long Slot) BandSlot(int place)
    {
        var album = place / TracksPerAlbum;
        return (album % Bands.Length, (long)(album / Bands.Length) * TracksPerAlbum + place % TracksPerAlbum);
    }

    private SandboxArtist Artist(int index)
    {
        var random = new SeededSequence(StableHash.Of(_seed, "artist", index));
        var name = random.Chance(HostileRate)
            ? HostileText.Sets[(int)random.Next(HostileText.Sets.Count)].Nickname
            : random.Pick(WordLists.ArtistStarts) + random.Pick(WordLists.ArtistEnds);
        return new SandboxArtist(ArtistIdBase + index * ArtistIdSpread + random.Next(ArtistIdSpread), name);
    }

    private static string Words(SeededSequence random) =>
        string.Format(CultureInfo.InvariantCulture, random.Pick(WordLists.SongShapes), random.Pick(WordLists.SongWords), random.Pick(WordLists.SongWords));

    /// <summary>Mostly 90 s to 8 min (most near 3–4 min); one in 25 odd: unknown (0), an interlude of seconds, or a mix over an hour.</summary>
    private static long Duration(SeededSequence random)
    {
        if (random.Chance(0.04))
        {
            return random.Next(3) switch
            {
                0 => 0,
                1 => random.Next(1_000, 30_000),
                _ => random.Next(3_600_000, 7_200_000),
            };
        }
        // The mean of two draws peaks in the middle of the range.
        return 90_000 + (random.Next(390_001) + random.Next(390_001)) / 2;
    }
}
