using System.Globalization;
using System.Text;

namespace FunctionsCrawler.Sandbox.Catalog;

/// <summary>
/// Makes one playlist's fields from (seed, id, day) alone, so any process with the same options agrees: its day-0
/// fields (or, for a playlist first listed later, those of the day it appeared), then each later day's changes.
/// </summary>
internal sealed class PlaylistFactory(SandboxOptions options, Uri baseUrl, PlaylistIds ids, CoverAddress covers, SongPool songs)
{
    private static readonly DateTimeOffset Earliest = new(2013, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Latest = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly string _siteRoot = baseUrl.GetLeftPart(UriPartial.Authority);

    /// <summary>The playlist as it is on <paramref name="day"/>; null for an unknown id or one first listed later.</summary>
    public SandboxPlaylist? Create(long id, int day) => Make(id, day, trackChanges: null)?.Playlist;

    /// <summary>The playlist's track list on <paramref name="day"/> (empty once deleted); null for an unknown id or one first listed later.</summary>
    public IReadOnlyList<SandboxTrack>? Tracks(long id, int day)
    {
        var changes = new List<TrackChange>();
        if (Make(id, day, changes) is not var (playlist, first))
            return null;
        return playlist.Deleted ? [] : TrackLists.Build(options.Seed, songs, playlist, first, changes);
    }

    /// <param name="trackChanges">When given, gets every later day's change of the track count.</param>
    /// <returns>The playlist, and its state on the day it was first listed (what its track list starts from).</returns>
    private (SandboxPlaylist Playlist, PlaylistState First)? Make(long id, int day, List<TrackChange>? trackChanges)
    {
        if (!ids.TryRead(id, out var origin, out var firstDay) || firstDay > day)
            return null;
        var random = new SeededSequence(StableHash.Of(options.Seed, "playlist", id));
        var hostile = origin == PlaylistOrigin.HostileText;
        var texts = hostile ? HostileText.Sets[HostileText.SetIndex(options.Seed, id)] : null;

        var name = texts?.Name ?? OrdinaryName(random);
        var creatorId = random.Chance(0.3) ? random.Next(2_147_483_648L, 9_999_999_999L) : random.Next(10_000_000L, 999_999_999L);
        var nickname = texts?.Nickname
            ?? random.Pick(WordLists.NicknameStarts) + random.Pick(WordLists.NicknameEnds) + (random.Chance(0.4) ? random.Next(100, 9999).ToString(CultureInfo.InvariantCulture) : "");
        var description = texts?.Description ?? OrdinaryDescription(random);

        var created = Earliest.AddSeconds(random.Next((long)(Latest - Earliest).TotalSeconds));
        var updated = created.AddSeconds(random.Next((long)(Latest - created).TotalSeconds + 1));

        var kind = origin switch
        {
            PlaylistOrigin.ForeignHostCover => CoverKind.ForeignHost,
            PlaylistOrigin.NotAnImageCover => CoverKind.NotAnImage,
            _ => CoverKind.Ok,
        };
        // Only ordinary playlists are deleted, so every category keeps its special cases.
        var deletable = origin == PlaylistOrigin.Ordinary;
        var tags = Tags(random);
        var state = new PlaylistState(
            TrackCount: 1 + ((int)random.Next(1, 1000) - 1) * options.MaxTrackCount / 999,
            PlayCount: PlayCount(random),
            SubscribedCount: Count(random, 0.2, 500_000),
            ShareCount: Count(random, 0.3, 20_000),
            CommentCount: Count(random, 0.25, 5_000),
            updated,
            TracksUpdatedAt: created.AddSeconds(
                (long)((updated - created).TotalSeconds * StableHash.Unit(StableHash.Of(options.Seed, "tracks-updated", id)))),
            CoverVersion: 0,
            Deleted: deletable && StableHash.Unit(StableHash.Of(options.Seed, "deleted", id)) < options.DeletedRate);
        if (firstDay > 0)
        {
            // Texts, tags and creator as any playlist's; the rest of a playlist made that day.
            state = PlaylistHistory.Newborn(options.Seed, id, firstDay);
            created = state.UpdatedAt;
        }
        // Drawn apart from the fields above, so an ordinary list leaves every day-0 field as it was.
        var shape = deletable ? TrackLists.Shape(options.Seed, id) : TrackListShape.Ordinary;
        if (TrackLists.FirstCount(options.Seed, id, shape) is { } count)
            state = state with { TrackCount = count };
        var first = state;
        state = PlaylistHistory.Advance(options.Seed, id, deletable, state, firstDay, day, trackChanges);

        var coverPath = covers.Path(id, ImagePurpose.Cover, state.CoverVersion);
        var coverUrl = (kind == CoverKind.ForeignHost ? CoverAddress.ForeignHost : _siteRoot) + coverPath;
        var playlist = new SandboxPlaylist(
            id, name, creatorId, nickname, description, tags,
            state.TrackCount, state.PlayCount, state.SubscribedCount, state.ShareCount, state.CommentCount,
            created, state.UpdatedAt, coverUrl, covers.ImageId(id, ImagePurpose.Cover, state.CoverVersion), kind, state.Deleted, hostile)
        {
            TracksUpdatedAt = state.TracksUpdatedAt,
            CoverVersion = state.CoverVersion,
            FirstDay = firstDay,
            TrackShape = shape,
        };
        return (playlist, first);
    }

    public string AvatarUrl(long id) => _siteRoot + covers.Path(id, ImagePurpose.Avatar);

    private static string OrdinaryName(SeededSequence random) =>
        string.Format(CultureInfo.InvariantCulture, random.Pick(WordLists.NameShapes),
            random.Pick(WordLists.Moods), random.Pick(WordLists.Things), random.Next(1, 30));

    /// <summary>A quarter each: none, one line, several lines, and a long one (over 100 characters).</summary>
    private static string OrdinaryDescription(SeededSequence random)
    {
        switch (random.Next(4))
        {
            case 0:
                return "";
            case 1:
                return random.Pick(WordLists.Sentences);
            case 2:
                var lines = new string[random.Next(2, 5)];
                for (var i = 0; i < lines.Length; i++)
                    lines[i] = random.Pick(WordLists.Sentences);
                return string.Join('\n', lines);
            default:
                var text = new StringBuilder();
                while (text.Length <= 120)
                {
                    if (text.Length > 0)
                        text.Append(random.Chance(0.3) ? "\n" : "");
                    text.Append(random.Pick(WordLists.Sentences));
                }
                return text.ToString();
        }
    }

    private static string[] Tags(SeededSequence random)
    {
        var count = (int)random.Next(4);
        var tags = new List<string>(count);
        while (tags.Count < count)
        {
            var tag = random.Pick(CategoryNames.Listed);
            if (!tags.Contains(tag))
                tags.Add(tag);
        }
        return [.. tags];
    }

    /// <summary>Below 100000 (shown raw on lists), up to 2^31 (shown in 万), and above 2^31.</summary>
    private static long PlayCount(SeededSequence random) => random.Next(10) switch
    {
        < 3 => random.Next(0, 100_000),
        < 8 => random.Next(100_000, 2_147_483_647),
        _ => random.Next(2_147_483_648L, 20_000_000_000L),
    };

    private static long Count(SeededSequence random, double zeroChance, long max) =>
        random.Chance(zeroChance) ? 0 : random.Next(1, max);
}
