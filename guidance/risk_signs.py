"""Signs of harm that add up: each kind of sign has a weight, and a few together describe a child at risk even when
no single situation is told in so many words. Read by the safeguarding check alongside its situations."""
from __future__ import annotations

import re

from .text import for_lower_case

_I = re.IGNORECASE

# Each kind of sign has a weight ("a handprint on her face" and "mum's boyfriend got angry" together; "flinched" and
# "long sleeves in the heat" together).
_SIGNS = [
    (3, re.compile(r"\b(paracetamol|overdos\w*|taken (?:a load|loads|a lot|a handful) of|ligature|wants? (?:it )?(?:all )?"
                   r"to (?:stop|end)|cuts? (?:on|up) (?:her|his|their) (?:arms?|legs?|wrists?|thighs?)|razor|blades?)\b", _I)),
    (3, re.compile(r"\b(come out of prison|came out of prison|released from prison|offences? against children|sex "
                   r"offender|schedule (?:1|one) offender|sex offenders?'? register)\b", _I)),
    (2, re.compile(r"\b(hand ?print|finger ?marks?|bruis\w*|black eye|burns?|welts?|bleeding|bite marks?|injur\w*|"
                   r"fractur\w*|marks? on (?:her|his|their) (?:face|neck|arms?|legs?|back))\b", _I)),
    (2, re.compile(r"\b((?:no ?one|nobody) (?:answers?|answered|opens?|opened|comes? to) the door|curtains (?:are |were )?"
                   r"(?:always |still )?(?:shut|closed|drawn)|(?:can'?t|cannot|can not|unable to) (?:get hold of|"
                   r"contact|reach|find) (?:anyone|the family|mum|dad|them|her|him)|not (?:been )?seen (?:her|him|them))\b",
                   _I)),
    (2, re.compile(r"\b(nothing (?:to eat|in the (?:house|fridge|cupboards?))|no food|losing weight|lost (?:a lot of )?"
                   r"weight|hiding food|steal\w* food|scaveng\w*|always hungry|starving)\b", _I)),
    (2, re.compile(r"\b((?:messages?|messaging|chatting|talking) (?:from|with|to) (?:a|an|some) (?:man|older|adult|"
                   r"stranger)|met (?:him|her|them|a man|an adult|someone) (?:on|through) (?:snapchat|instagram|tiktok|"
                   r"discord|roblox|whatsapp|an app|a game|line)|(?:come|go) (?:round )?to (?:his|her|their) "
                   r"(?:flat|house|place|car))\b", _I)),
    (2, re.compile(r"\b((?:older|other) (?:people|men|lads|boys|adults)'?s? (?:flats?|houses?|places?)|carrying (?:stuff|"
                   r"things|bags?|packages?) for|owes? (?:money|them|him)|second phone|new trainers|wads? of cash)\b", _I)),
    # sexual harm and grooming told in other words
    (3, re.compile(r"\b(raped|rape|sexually|sexual (?:assault|activity|contact)|love ?bites?|(?:in|of) (?:her|his|their) "
                   r"underwear|naked|nudes?|photos? of (?:her|him|them) in the (?:bath|shower)|keep (?:a |their )?secrets?|"
                   r"(?:our|a|their) (?:little )?secret|games in the (?:bed ?room|bathroom|bed)|send (?:him |her |them )?"
                   r"(?:pictures|photos|pics|selfies|videos?))\b", _I)),
    # harm threatened by a child, or a family about to vanish with one
    (3, re.compile(r"\b(blow (?:up|the) (?:the )?school|shoot (?:up )?(?:the )?school|bomb (?:the )?school|bring (?:a|his|her) "
                   r"(?:knife|gun|weapon) (?:in|into|to) school|kill (?:everyone|them all|people at school))\b", _I)),
    (2, re.compile(r"\b(take (?:him|her|them) and (?:disappear|go|run|leave)|(?:disappear|leave the country|go abroad) "
                   r"(?:with (?:him|her|them) )?if (?:we|you|school) (?:call|ring|tell|contact)|if (?:we|you) call "
                   r"(?:social services|children'?s services|the police))\b", _I)),
    # radicalisation, trafficking, CSE told in other words; a threat with a weapon
    (3, re.compile(r"\b(behead\w*|do something big|wake people up|(?:bomb|attack) (?:making )?manuals?|extremist\w*|"
                   r"owes? (?:money )?for (?:his|her|their) (?:journey|passage|travel|trip here)|(?:isn'?t|is not|not) "
                   r"(?:really )?related|(?:doesn'?t|does not|don'?t|do not) get paid|works? (?:in|at) (?:a |the )?\w+ "
                   r"(?:bar|shop|factory|car ?wash|takeaway|restaurant) (?:till|until) \d|cse|can'?t remember what happened|"
                   r"(?:bring\w*|brought|bringing) (?:in |to school )?(?:his|her|their|a|my) (?:dad'?s |mum'?s |brother'?s )?"
                   r"(?:shotgun|gun|rifle|knife|machete|weapon)|everyone (?:will|is going to|gonna) pay|acting (?:things )?"
                   r"out with (?:dolls|toys)|sexual (?:words|language|behaviou?r|knowledge)|shows? (?:her|him|them) "
                   r"(?:videos|films|pictures) on (?:his|her) phone)\b", _I)),
    (2, re.compile(r"\b(special friend|(?:friend|boyfriend|man|bloke|guy|lad) (?:who is|who'?s|aged) (?:1[89]|[2-9]\d)|"
                   r"(?:buys?|bought|buying) (?:her|him|them) (?:vapes?|alcohol|drink|cigarettes|clothes|a phone|phones|"
                   r"gifts?|presents|trainers)|pay (?:him|them|her) back|being nice to (?:his|their) (?:mates|friends)|"
                   r"(?:party|parties) (?:in|at) a hotel|get paid|nails done|(?:given|gave (?:her|him|them)|plied with) "
                   r"(?:vodka|alcohol|drink|drinks|drugs|pills|weed)|(?:flat|house) with (?:some )?older (?:lads|boys|men))\b",
                   _I)),
    (2, re.compile(r"\b(left (?:strapped |alone |on (?:his|her) own )?in (?:a|the) (?:car|van)|in the heat|while (?:dad|"
                   r"mum|the parents?) (?:was|were) (?:in|at) the pub|evicted|slept (?:in|on) (?:the|a) (?:car|street|"
                   r"floor|park|bench)|nowhere to (?:go|sleep|stay)(?: tonight)?|ran off (?:onto|into|towards) (?:the )?"
                   r"(?:main )?road|(?:not|hasn'?t|has not) been found|never going (?:back )?home)\b", _I)),
    # strangling, cruel punishment, medical neglect, FGM, sextortion and secret adult contact, in everyday words
    (3, re.compile(r"\b(hands? (?:a)?round (?:her|his|their|mummy'?s|mum'?s|my|the) (?:neck|throat)|(?:stand|sleep|stay|"
                   r"kneel)\w* (?:in|out in|outside in) the (?:garden|cold|shed|yard) all night|(?:no|not got any|hasn'?t got "
                   r"any|run out of|ran out of) (?:insulin|inhaler|epipen|medication|meds)\b[^.?!]{0,40}\b(?:won'?t|"
                   r"will not|refuses?|doesn'?t|can'?t be bothered)|make (?:her|him|them) clean|be (?:cut|cleansed|"
                   r"purified)|post (?:her|his|their) (?:pictures|photos|videos|pics)|send (?:him |her |them )?more\b|"
                   r"delete (?:their|the|his|her|all (?:the|their)) (?:chats?|messages|texts)|cigarette burns?|"
                   r"left (?:with|in charge of) (?:him|her|them|the baby)\b[^.?!]{0,60}\b(?:weekend|overnight|all night|"
                   r"days|went away))\b", _I)),
    (2, re.compile(r"\b((?:much )?older (?:bf|gf)|waits? (?:outside|by) (?:school|the gates?) in (?:his|a) car|asking "
                   r"(?:staff|us|teachers|other children|friends) for food|same (?:uniform|clothes) (?:on )?for (?:days|"
                   r"a week|\d+ (?:days|weeks)|two weeks)|coming back with (?:cash|money|new (?:clothes|trainers|phones?))|"
                   r"(?:gave|gives|giving) (?:him|her|them) steroids|carry (?:bags|packages|parcels|stuff) to|"
                   r"(?:london|birmingham|the city|other towns?) (?:on the train|by train)|blacked out|got stabbed|"
                   r"(?:special|cutting) (?:trip|holiday|ceremony))\b", _I)),
    (1, re.compile(r"\b(smells?|smelly|unwashed|(?:dad|mum|parents?) never answers?|whole weekend|at weekends with "
                   r"older)\b", _I)),
    # suicide notes and attempts, grooming by someone known, and neglect told in detail
    (3, re.compile(r"\b((?:won'?t|will not|wont) be (?:in|here|around)(?: tomorrow)? (?:or|and) ever|(?:thank you|thanks) for "
                   r"everything|tried it (?:last night|with a|again)|do it properly|marks? (?:right )?round (?:her|his|their) "
                   r"neck|(?:lips|face) (?:keep |keeps )?(?:going|turning|went|turned|goes) (?:a bit |slightly )?blue|"
                   r"(?:inhaler|insulin|epipen|medication) (?:has )?ran out|sleep with (?:his|their|her) (?:friends|mates)|"
                   r"keep (?:their|our|the|it) ['‘]?(?:relationship|friendship|chats?)['’]? (?:a )?secret|not (?:allowed|supposed) "
                   r"to tell (?:about|anyone)|(?:photos|pictures|videos)\b[^.?!]{0,30}\bof (?:me|her|him) in the (?:bath|shower))\b",
                   _I)),
    (2, re.compile(r"\b((?:told|tells|asked) (?:her|him|them) not to tell (?:her|his|their|anyone)|wants? to meet (?:her|him|"
                   r"them)|stay over at (?:his|hers|their)|(?:sending|sends|sent) (?:her|him|them) (?:presents|gifts|money)|"
                   r"messag\w* (?:her|him|them)\b[^.?!]{0,30}\b(?:late at night|at night|at 1[0-2]pm|after midnight)|"
                   r"same clothes for (?:the )?\d+(?:st|nd|rd|th)? day|smells? (?:strongly )?of (?:wee|urine|poo)|(?:eating|taking|"
                   r"stealing) food (?:out of|from) (?:other (?:kids|children)'?s?|their friends'?) lunch ?boxes|no (?:tea|dinner|"
                   r"breakfast|food) (?:again|at home|last night)|asleep on the sofa all day)\b", _I)),
    # control and deprivation at home
    (2, re.compile(r"\b(not allowed (?:to )?(?:use the toilet|eat|go out|leave (?:her|his|the) room|see|have (?:food|"
                   r"dinner|tea))|shut in (?:his|her|their) room|without (?:tea|dinner|food|supper|a meal)|"
                   r"(?:haven'?t|hasn'?t|have not|has not) had a (?:proper |hot )?meal|eating out of (?:the )?(?:school )?bins?|"
                   r"look(?:ing)? after the baby (?:overnight|all night|at night)|on (?:her|his|their) own overnight)\b", _I)),
    # signs on the child: hiding injuries, flinching, exhaustion, wetting
    (2, re.compile(r"\b(flinch\w*|long sleeves in (?:the|this) (?:heat|summer|hot weather)|marks underneath|hiding (?:her|"
                   r"his|their) (?:arms|legs|face|injur\w*))\b", _I)),
    (1, re.compile(r"\b(falls? asleep in class|exhausted|wet (?:him|her)self|soiled|hungover|smell\w* of (?:cannabis|weed|"
                   r"alcohol|drink)|withdrawn)\b", _I)),
    # adults giving a child drugs, money or alcohol, or parties with adults
    (2, re.compile(r"\b((?:give|gives|gave|giving) (?:him|her|them) (?:weed|cannabis|drugs|money|cash|alcohol|vapes?)|"
                   r"parties with (?:older )?(?:men|adults|lads)|men in their (?:20s|30s|40s|twenties|thirties)|"
                   r"flat above|(?:modelling|model) (?:agent|agency|scout))\b", _I)),
    (1, re.compile(r"\b(angry|lost (?:his|her|their) temper|shout\w*|scream\w*|hit|punch\w*|kick\w*|slap\w*|smack\w*|"
                   r"hurt\w*|violen\w*|grabbed|pushed|scared|frightened|terrified|crying)\b", _I)),
    (1, re.compile(r"\b((?:mum|dad|mother|father)'?s? (?:new )?(?:boyfriend|girlfriend|partner)|step-?dad|stepfather|"
                   r"uncle|older (?:lads|boys|men|man)|(?:a|an|some) (?:man|adult|stranger))\b", _I)),
    (1, re.compile(r"\b(told (?:me|us|the|her|his)|said|says|disclosed|showed (?:me|us))\b", _I)),
    # an injury from sport, cooking or a skin condition told with it is not a sign (a fall is: it is a common cover story)
    (-2, re.compile(r"\b((?:at|playing|during|in) (?:football|rugby|netball|hockey|pe|p\.e\.|games|sport\w*|training|"
                    r"gymnastics|dance|karate|judo|the match)|cooking|food tech|chicken ?pox|eczema|allerg\w*|"
                    r"sunburn\w*)\b", _I)),
]
SIGN_PATTERNS = tuple(p.pattern for w, p in _SIGNS if w > 0)   # their words are targets for typo correction
_SIGNS_LOWER = [(w, for_lower_case(p)) for w, p in _SIGNS]   # matched against the lower-cased message, faster
SIGNS_AT_RISK = 3      # the weight of distinct signs that together suggest a child at risk


def weigh_signs(text: str) -> int:
    """The weight of the signs a message shows: each kind counts once, or twice when two different signs of that kind
    are told ("flinched" and "long sleeves in the heat")."""
    total, low = 0, text.lower()
    for weight, pattern in _SIGNS_LOWER:
        seen = {m.group(0) for m in pattern.finditer(low)}
        total += weight * (min(2, len(seen)) if weight > 0 else bool(seen))
    return total


# A general question about something that happened before and is over ("told us about self-harm in the past and is
# now doing well") is about support, not a risk now.
