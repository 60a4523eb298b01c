"""Spot wording that suggests a child may be at risk now, so escalation advice always comes first.

Risk is read from situations, not only keywords: an injury with someone who caused it, a child carrying packages
for older people and afraid to stop, an adult met online asking to meet in secret, a child left alone without food,
a plan to take tablets tonight. General questions about safeguarding ("what are the signs of grooming") are not
disclosures and do not escalate.
"""
from __future__ import annotations

import re

from .risk_model import learned_risk
from .risk_signs import SIGN_PATTERNS, SIGNS_AT_RISK, weigh_signs
from .text import for_lower_case

_I = re.IGNORECASE
_CHILD = (r"(child|pupil|student|girl|boy|lad|lass|kid|son|daughter|she|he|they|her|him|them|y(?:ea)?r ?\d+|"
          r"reception|\d{1,2}[- ]?(?:year[- ]?old|yo))")
_FAMILY = (r"(dad|daddy|father|mum|mummy|mother|mam|step-?dad|step-?mum|stepfather|stepmother|parents?|carers?|"
           r"partner|boyfriend|girlfriend|uncle|aunt|brother|sister|grandad|grandma|nan|man|men|adult|someone|"
           r"lodger|foster carer)")
# ("she hits out at lunchtimes" is the child's behaviour; "dad hits out at her" is harm)
_HARM = (r"(hurt\w*|hit(?:s|ting)?(?! out\b(?! at (?:her|him|them|me)))|beat\w*|punch\w*|kick\w*|abus\w*|touch\w*|"
         r"rap\w*|assault\w*|threaten\w*|"
         r"harm\w*|slap\w*|burn\w*|strangl\w*|chok\w*|sexual\w*|molest\w*|shak\w*|smack\w*|whack\w*|thrash\w*|"
         r"bit (?:her|him|them|me|us)|bitten|grabbed|pushed|threw|locked (?:her|him|them) in|stabb\w*|cut (?:her|him))")
_TELLING = r"(told|tells|telling|say|said|says|saying|disclos\w*|confided|reported|mentioned|messaged|texted|wrote|showed)"

_SITUATIONS = [
    # a disclosure of harm, in any words ("told the TA that daddy hits mummy")
    re.compile(r"\b" + _TELLING + r"\b.{0,120}\b" + _HARM + r"\b", _I),
    # someone in the family or an adult harming a child or another family member
    re.compile(r"\b" + _FAMILY + r"(?:'s)?(?: new)?(?: partner| boyfriend)?\s+(?:\w+\s+){0,2}" + _HARM + r"\s+"
               r"(her|him|them|me|mummy|mum|mother|daddy|dad|the (?:child|baby|kids?))\b", _I),
    re.compile(r"\b(is|are|being|been|was|getting|got|gets)\s+(?:\w+\s+){0,2}(abused|groomed|exploited|trafficked|"
               r"assaulted|raped|beaten|threatened|hit|hurt|harmed|sexually|neglected|radicali[sz]ed|strangled|"
               r"smacked|punched|kicked|slapped|stabbed|knifed|shot|attacked|beaten up|jumped|mugged|glassed)\b", _I),
    # an injury with someone who caused it, or unexplained
    re.compile(r"\b(black eye|bruis\w*|injur\w*|burns?|cuts|marks|welts?|bite marks?|bleeding|broken (?:arm|wrist|"
               r"bone|nose)|swollen)\b.{0,100}\b(did it|did this|did that|caused|gave (?:her|him|them)|at home|"
               r"because of|from (?:her|his|their)|" + _FAMILY + r")\b", _I),
    re.compile(r"\b(has|had|with|got|showing|showed|noticed|seen|saw)\s+(?:[\w'-]+\s+){0,3}(unexplained\s+)?(bruis\w*|"
               r"injur\w*|burn marks|black eye|finger ?marks|bite marks|welts)", _I),
    # immediate danger in so many words
    re.compile(r"\b(immediate|imminent|serious)\s+(danger|risk|harm)\b|\bin danger\b|\bat risk of (harm|abuse|"
               r"exploitation|being)\b", _I),
    # suicide and self-harm
    re.compile(r"\b(suicid\w*|kill (?:him|her|them|my)sel\w*|end (?:his|her|their|my) (?:own )?life|self[- ]?harm\w*|"
               r"cutting (?:him|her|them)sel\w*|overdos\w*|want(?:s|ed|ing)? to die|talk\w* about (?:dying|suicide|ending it|"
               r"killing (?:him|her|them)sel\w*)|not want to (?:be alive|live)|"
               r"take (?:all )?(?:of )?(?:her|his|their|my|the|some)? ?(?:\w+'?s )?(?:tablets|pills|meds|medication)|hang (?:him|her)self|"
               r"(?:no|not any) reason to live|(?:does ?n'?t|does not|do ?n'?t|do not) want to (?:be here|be alive|live|wake up)|"
               r"(?:fresh|new|deep) cuts on (?:her|his|their) (?:arms?|legs?|wrists?)|want(?:s|ed)? to end it)\b", _I),
    # exploitation: carrying or delivering for others, debt, threats, county lines
    re.compile(r"\b(packages?|parcels?|drugs?|bags?|phones?|cash|weed|gear|powder|pills)\b.{0,80}\b(drop\w*(?: it| them| "
               r"this| that)? off|deliver\w*|"
               r"take|taking|took|carry\w*|run\w*|sell\w*|other towns?|london|stabbed|paid|owes?|debt|older)\b|"
               r"\b(drop\w* off|deliver\w*|take|taking|carry\w*|run\w*)\s+(?:\w+\s+){0,3}(packages?|parcels?|drugs?)\b",
               _I),
    re.compile(r"\b(scared|afraid|frightened|terrified|too scared)\s+(to stop|to say no|of what will happen|they'?ll|"
               r"he'?ll|she'?ll)\b|\b(will|would|'ll|going to|gonna)\s+(be\s+)?(stab\w*|hurt|beat\w*|kill\w*|"
               r"shot|get (?:him|her|them))\b.{0,40}\b(if|unless|stops?)\b", _I),
    re.compile(r"\b(county lines?|a county line|drug (?:line|running|runner|dealing)|gang)\b.{0,60}\b(involved|"
               r"working|works|running|recruited|part of|is|he|she|they|pupil|child|boy|girl|student|young person|"
               r"lad)\b|\b(involved in|part of|running|working for|works for|doing|recruited (?:into|by))\s+(a\s+|the\s+)?"
               r"(county lines?|gang|drug)", _I),
    re.compile(r"\bolder (lads?|boys?|man|men|guys?|males?|boyfriend|friends?|people|kids|teenagers?)\b.{0,80}\b(drives?|picks? "
               r"(?:her|him|them) up|car|gifts?|money|phone|alcohol|drugs|parties|hotel|packages?|take|taking|trainers|"
               r"clothes|vapes?)\b", _I),
    # grooming: an adult met online wanting to meet or keep secrets
    re.compile(r"\b(adult|man|men|woman|someone|person|stranger|older|guy|\d{2}[- ]?year[- ]?old)\b.{0,80}\b(online|"
               r"on (?:a|the) (?:game|app)|snapchat|instagram|tiktok|whatsapp|discord|roblox|fortnite|xbox|"
               r"playstation|internet|chat)\b.{0,100}\b(meet|meeting|come round|secret|not tell|don'?t tell|pictures|"
               r"photos|pics|nudes|video|gifts?|send)\b", _I),
    re.compile(r"\b(met|meets|talking to|chatting to|messaging)\b.{0,60}\b(online|on (?:a|the) game|on snapchat|"
               r"on instagram)\b.{0,100}\b(meet|meet up|secret|not tell|don'?t tell)\b", _I),
    re.compile(r"\b(send|sent|asked for|asking for|share|shared)\s+(?:\w+\s+){0,3}(nudes?|naked|indecent|sexual) "
               r"(?:images?|photos?|pictures?|pics)?", _I),
    # neglect: left alone, no food, no care
    re.compile(r"\b(home alone|left alone|on (?:her|his|their) own at home|alone at home|no adult|no one at home|"
               r"nobody at home|left to look after|locked out of (?:the|their|his|her) (?:house|home|flat)|"
               r"(?:he|she|they|child|children|kids?|boy|girl|son|daughter|pupil)'?s? (?:was |were |got |gets |is |are |been |"
               r"keeps getting |kept )?locked out)\b", _I),
    re.compile(r"\b(no food|nothing to eat|not been fed|hasn'?t eaten|haven'?t eaten|has not eaten|have not eaten|"
               r"starving|hungry|no heating|no electricity|"
               r"filthy|dirty clothes|smells?|head lice|sleeping rough|no bed)\b.{0,80}\b" + _CHILD + r"\b|"
               r"\b" + _CHILD + r"\b.{0,80}\b(no food|nothing to eat|not been fed|hasn'?t eaten|haven'?t eaten|starving|hungry|"
               r"no heating|no electricity|no bed|sleeping rough)\b", _I),
    # missing, run away, not seen
    # (missing lessons, school or education is an attendance matter, not a missing child)
    re.compile(r"\b(gone missing|went missing|goes missing|going missing|keeps? (?:on )?going missing|reported (?:as )?"
               r"missing|(?:is|are|has been|have been|was) missing)\b(?!['’\"]?\s+(?:from\s+)?(?:education|school|lessons?|"
               r"class(?:es)?|the register|registration|sessions?|marks?|days|the morning|mornings|afternoons|the afternoon|the day|today|(?:a|an|the|their|his|her) (?:\w+ )?(?:lessons?|sessions?|class|exams?)|work|"
               r"homework|out\b|period \d|p\d\b|lunch|break|assembly|registration))|\b(missing (?:from home|from care|since|overnight|for \d+ (?:hours|days|nights))|run away|ran away|"
               r"running away|not come home|didn'?t come home|hasn'?t come home|did not come home|has not come home|"
               r"not (?:been )?home (?:since|for|all)|whereabouts (?:are )?unknown|(?:can'?t|cannot|can not|could ?n'?t|could not) find (?:her|him|them)|"
               r"no one knows where (?:she|he|they) (?:is|are)|wandering (?:the streets|around) (?:at night|late))\b", _I),
    # a parent unable to care safely right now: drunk, high, collapsed
    re.compile(r"\b" + _FAMILY + r"\b.{0,60}\b(drunk|intoxicated|high on|off (?:her|his) face|smell\w* (?:strongly )?of "
               r"(?:alcohol|drink|booze|cannabis|weed)|slurring|passed out|collapsed|unconscious|overdosed|"
               r"could ?n'?t stand|(?:could|can) (?:barely|hardly|not) stand)\b", _I),
    # thrown out, homeless, locked in, taken, threatened
    re.compile(r"\b(kicked out|thrown out|chucked out|told to leave home|sofa[- ]?surfing|sleeping (?:on|in) (?:a|the|"
               r"friends?'?s?|their|his|her|our) (?:sofa|car|van|tent|park|street)|living in (?:a|the|their) (?:car|van|tent)|nowhere to (?:sleep|stay|live)|homeless)\b", _I),
    re.compile(r"\b(locks?|locked|shuts?|shut) (?:her|him|them|me) in\b|\b(tied up|not allowed out|kept in (?:her|his) "
               r"room)\b", _I),
    re.compile(r"\b(threaten\w*|going|gonna|will|'ll)\s+(?:\w+\s+){0,3}(stab|kill|shoot|beat up|jump|hurt)\b|"
               r"\b(death threats?|threats? to (?:kill|stab|hurt))\b", _I),
    re.compile(r"\b(scared|afraid|frightened|terrified|worried)\s+(?:of\s+)?(?:what\s+)?(her|his|their)\s+(family|"
               r"dad|father|brothers?|uncles?|parents?)\s+(will|would|might)\b", _I),
    re.compile(r"\b(getting into|gets into|got into|seen in)\s+(?:\w+\s+){0,2}cars?\s+with\s+(?:\w+\s+){0,2}(older|"
               r"men|man|adults?|strangers?)\b", _I),
    re.compile(r"\b(large (?:amounts?|sums?) of (?:money|cash)|wads? of (?:cash|money)|new (?:expensive )?(?:trainers|"
               r"phones?|clothes)|unexplained (?:money|gifts|phones?|cash))\b.{0,80}\b(won'?t say|will not say|doesn'?t "
               r"say|refuses?|older|from who|where from|can'?t explain)\b", _I),
    re.compile(r"\b(not|hasn'?t|haven'?t|has not|have not|nobody has|no one has|nobody'?s|no[- ]?one'?s)\s+(been\s+)?seen\b(?!\s+in\s+"
               r"(?:lessons?|class))\b.{0,40}\b(days?|weeks?|months?|since)\b|\b(days?|weeks?|months?)\b.{0,40}\b(?:nobody|"
               r"no[- ]?one)(?:'?s| has| have)\s+(?:been\s+)?seen\b", _I),
    re.compile(r"\b(won'?t|will not|wouldn'?t|doesn'?t|don'?t) let (?:him|her|them) (?:come|go) home\b|"
               r"\b(doesn'?t|does not|don'?t|do not|won'?t|will not|refuses? to|scared to|afraid to|not allowed to)\s+(want\s+to\s+)?(?:go|come)\s+home\b|\b(scared|afraid|frightened|terrified)\s+(to|of)\s+(go(ing)? home|(her|his|their|my) "
               r"(dad|mum|father|mother|step\w*|parent\w*|carer\w*|boyfriend|partner))", _I),
    # sexual harm described without the word abuse; care withheld
    re.compile(r"\b(private parts|privates|inappropriately|makes? (?:her|him|them) watch|porn\w*|sex with|have sex|"
               r"sleeps? in (?:her|his) bed|touch(?:es|ed|ing)? (?:her|him|them) (?:down there|there))\b", _I),
    re.compile(r"\b(not given|withh[oe]ld\w*|won'?t give|refus\w+ to give|hasn'?t had|missed)\s+(?:\w+\s+){0,2}(insulin|"
               r"medication|medicine|inhaler|epipen)\b", _I),
    # unexplained injuries the child will not explain; care that is absent
    re.compile(r"\b(cut lip|split lip|bloody nose|fat lip|bruised (?:face|arm|leg|back|neck)|burns? on (?:her|his)|"
               r"marks on (?:her|his) (?:neck|face|arms?|legs?|back))\b", _I),
    re.compile(r"\b(won'?t|will not|refuses? to|doesn'?t want to|too scared to)\s+(say|tell|explain)\s+(how|what "
               r"happened|where|who)\b", _I),
    re.compile(r"\b(mum|dad|parents?|carers?)\s+(is|are|has been|have been)\s+(never|hardly ever|not been)\s+"
               r"(home|there|around|seen)\b|\bnot allowed to eat\b|\blooking after (?:her|his|their) (?:baby )?"
               r"(?:siblings?|brothers?|sisters?) (?:on (?:her|his|their) own|alone|all night)\b", _I),
    re.compile(r"\b(blackmail\w*|sextortion|threaten\w* to (?:share|post|send) (?:her|his|their)? ?(?:photos?|"
               r"pictures?|videos?|images?))\b", _I),
    re.compile(r"\b(jump (?:off|from|in front of)|end it all|kill myself|hurt myself|not be here (?:any ?more|"
               r"tomorrow)|better off (?:dead|without me)|goodbye (?:note|letter|message))\b", _I),
    # an adult in a child's bedroom at night; an adult much older in a relationship with a child; lures
    re.compile(r"\b(comes?|came|coming|gets?|got) into (?:her|his|their|my) (?:bed|bedroom|room)\b.{0,40}\b(night|"
               r"doesn'?t like|don'?t like|scared|touch\w*|hurts?)\b", _I),
    re.compile(r"\b(boyfriend|girlfriend|partner|man|woman)\s+(?:of|aged|who is|who'?s)?\s*(1[89]|[2-9]\d)\b|"
               r"\b(1[89]|[2-9]\d)[- ]?(?:year[- ]?old)\s+(boyfriend|girlfriend|man|partner)\b|\bolder (boyfriend|"
               r"girlfriend|partner)\b", _I),
    re.compile(r"\b(gives?|gave|buys?|bought|offers?|offered)\s+(?:him|her|them)\s+(?:\w+\s+){0,2}(sweets|money|gifts?|"
               r"presents|cigarettes|vapes?|alcohol|drugs|phones?)\b.{0,80}\b(come to|go to|visit|meet|his (?:flat|house|"
               r"car|place)|her (?:flat|house|car|place)|secret|not tell)\b", _I),
    re.compile(r"\b(hand over (?:her|his|their) (?:mouth|face)|couldn'?t breathe|could not breathe|held (?:her|him) "
               r"down|pinned (?:her|him))\b", _I),
    re.compile(r"\b(belt|buckle|cane|stick|slipper|wooden spoon|hand)[- ]?marks?\b|\bmarks? from (?:a|the) (belt|"
               r"buckle|cane|stick)\b", _I),
    re.compile(r"\b(hasn'?t|has not|haven'?t|have not|not)\s+(been\s+)?home\s+(for|since|in)\b", _I),
    re.compile(r"\b(ceremony to become a woman|special (?:ceremony|procedure|operation)|become a woman|cutting)\b.{0,80}"
               r"\b(abroad|holiday|summer|relatives|family|visit|country|trip)\b|\b(abroad|holiday|summer|relatives)\b"
               r".{0,80}\b(ceremony to become a woman|special (?:ceremony|procedure)|be cut)\b", _I),
    re.compile(r"\b(arranging|arranged|arrange|planning|promised|going)\b.{0,30}\b(for (?:her|him) to )?marr(?:y|iage|ied)"
               r"\b", _I),
    # left to fend alone, out all night, whereabouts unknown
    re.compile(r"\b(fend(?:ing)? for (?:him|her|them)sel\w*|look(?:ing)? after (?:him|her|them)sel\w* (?:at home|alone|"
               r"all)|parents? (?:have|has|had) (?:gone|left|been) away|left (?:him|her|them) (?:at home|alone|on (?:his|"
               r"her|their) own)|(?:no ?one|nobody) (?:came to|has come to|to) (?:collect|pick (?:him|her|them) up)|"
               r"found wandering|out all night|stay(?:s|ing|ed)? out all night|(?<!home and )(?<!home, )(?<!home then )(?:didn'?t|did not|hasn'?t|has not) come "
               r"back|doesn'?t know where (?:she|he|they) (?:is|are)|does not know where (?:she|he|they) (?:is|are)|"
               r"came (?:home|back) at [1-5] ?(?:am|in the morning))\b", _I),
    re.compile(r"\b(made|makes|forced|forces|forcing|making)\s+(?:her|him|them|me)\s+(?:to\s+)?(do (?:things|stuff|"
               r"sexual)|have sex|touch|undress|take (?:off )?(?:her|his|their) clothes|send (?:pictures|photos|pics)|"
               r"watch|sell|deal|carry|hold|deliver|run|steal|shoplift)\b", _I),
    re.compile(r"\b(carrying|holding|selling|dealing|hiding|keeping|carry|hold|sell|deal|hide|keep|deliver|"
               r"delivering)\s+(?:\w+\s+){0,2}(drugs|weed|cannabis|cocaine|"
               r"crack|gear|packages?)\b.{0,60}\b(for|older|someone|them|he|she|owes?)\b", _I),
    re.compile(r"\b(said|says|threatened|told)\b.{0,40}\b(?:he|she|they)'?(?:d| would| will|'ll)\s+(kill|hurt|stab|"
               r"beat|batter)\b", _I),
    re.compile(r"\b(drugs|needles|syringes)\s+(?:\w+\s+){0,3}(at home|in the house|in the flat|lying around)\b", _I),
    # weapons, FGM, forced marriage, radicalisation
    re.compile(r"\b(has|have|had|carr\w+|brought|with|bring\w*|hiding|hid|keeps?|kept|stores?|there'?s|there is)\s+"
               r"(a\s+)?(knife|knives|weapon|gun|blade|"
               r"machete)\b", _I),
    re.compile(r"\b(fgm|female genital mutilation|cut(?:ting)? ceremony|be cut)\b.{0,80}\b(is|being|will|going|"
               r"planned|at risk|tonight|next week|holiday|summer|trip|abroad|visit)\b", _I),
    re.compile(r"\b(to be|being|get|getting|forced to|made to|going to be)\s+married\b|\b(forced|made|being made|"
               r"being forced) (?:to marry|into (?:a )?marriage)\b|\bforced marriage\b.{0,40}\b(she|"
               r"he|her|him|pupil|student|girl|boy)\b|\bmarried off\b", _I),
    re.compile(r"\b(taking|take|takes|took|sending|send|sent|flying|fly)\s+(?:her|him|them)\b.{0,40}\b(to marry|to get "
               r"married|to be married|for (?:a|her|his|the) wedding|to meet (?:her|his) (?:husband|wife))\b|\bmarry (?:a|her|"
               r"his) (?:cousin|uncle|older)\b", _I),
    re.compile(r"\b(made|makes|making|forced|forces|forcing)\s+(?:her\s+|him\s+|them\s+)?(?:to\s+)?work\b", _I),
    re.compile(r"\bpregnant\b.{0,80}\b(step-?dad|stepfather|uncle|brother|cousin|grandad|her dad|her father|"
               r"(?:older|grown) man|teacher|coach|\d{2}[- ]?year[- ]?old)\b", _I),
    # care that is missing at home: a child up all night minding siblings, a parent who cannot be woken or cope
    re.compile(r"\b(?:up|awake) all night\b.{0,40}\b(looking after|caring for|minding|with (?:his|her|their))\b|"
               r"\blook(?:ing|s)? after\b.{0,30}\b(baby|little|younger) (sister|brother|siblings?)\b.{0,60}\b(mum|dad|parents?|"
               r"carers?) (goes|go|went|is|are|was|were) (out|away|drunk|asleep)\b", _I),
    re.compile(r"\b(same (?:dirty )?nappy|soiled nappy|wasting away)\b|\b" + _CHILD + r"\b.{0,40}\b((?:really|very|"
               r"dangerously|so) thin|underweight)\b", _I),
    re.compile(r"\b(mum|dad|mother|father|parents?|carers?)\b.{0,20}\b(didn'?t|did not|wouldn'?t|would not|won'?t|"
               r"couldn'?t|could not|can'?t) (?:be )?(wake up|woken|be woken)\b|\bempty (?:vodka |wine |beer )?bottles\b",
               _I),
    re.compile(r"\b(can'?t|cannot|not|isn'?t) cop(?:e|ing)\b.{0,80}\b(leave|leaving|walk out|disappear|hurt|end it|kill|"
               r"give (?:them|the kids) up)\b", _I),
    # sextortion and being collected by adults
    re.compile(r"\b(posted|shared|sharing|posting|put)\s+(?:\w+\s+){0,3}(videos?|photos?|pictures?|pics|images?)\b.{0,80}"
               r"\b(demand\w*|asking (?:her |him |them )?for money|pay (?:up|them|him|her)|money|unless|threat\w*|"
               r"blackmail\w*)\b", _I),
    re.compile(r"\b(picked up|collected|driven (?:off|away)|taken away)\s+(?:from (?:school|the gates?|outside) )?by\s+(?:different|older|unknown|strange)?\s*"
               r"(men|man|strangers?|older (?:men|males|lads|boys))\b", _I),
    # a worrying disclosure in general words; cruel punishment; filming; taken to other towns; unknown addresses
    re.compile(r"\b(told|tells|said|says|disclosed|mentioned|confided)\b.{0,40}\bsomething (?:really |very )?(worrying|"
               r"concerning|upsetting|disturbing|that worried|that concerned|that upset)\b|\b(?:does|did|do) to (?:her|him|"
               r"them)\b.{0,40}\b(?:bath|bed|night|shower|alone)\b|\bwhat (?:her|his|their) " + _FAMILY + r"\b.{0,20}\b(?:does|"
               r"did) to (?:her|him|them)\b|\b(?:does|did|doing|do) (?:stuff|things|something) to (?:her|him|them)\b", _I),
    re.compile(r"\b(makes?|made|making|forces?|forced)\s+(?:him|her|them)\s+(?:to\s+)?sleep\s+(?:in the (?:garden|shed|"
               r"garage|car|cupboard)|outside|on the floor)\b|\bsleep\w* in the (?:garden )?(?:shed|garage)\b", _I),
    re.compile(r"\bfilm(?:s|ed|ing)?\s+(?:her|him|them)\b.{0,30}\b(shower|bath|undress\w*|naked|changing|bed)\b|"
               r"\b(shower|bath|changing|undress\w*)\b.{0,30}\b(films?|filming|filmed|photograph\w*|secretly)\b", _I),
    re.compile(r"\b(taking|takes|took|sends?|sent|driving|drove)\s+(?:him|her|them)\s+to\s+(?:\S+\s+){0,2}(another|other|"
               r"different) (towns?|cities|city|areas?)\b", _I),
    re.compile(r"\b(sleeping|staying|stays?|stayed)\s+(?:\w+\s+){0,2}(at|in) (different|various|other people'?s|strangers'?) "
               r"(addresses|houses|flats|places)\b|\bmeet\w*\s+(?:up\s+with\s+)?(men|a man|adults?|older (?:men|boys|"
               r"lads)|strangers?)\b.{0,40}\b(online|on (?:an )?apps?|snapchat|instagram|the internet|tiktok)\b", _I),
    re.compile(r"\b(living|lives|staying|stays)\s+with\s+(?:\w+\s+){0,2}(?:who (?:are|is) )?not (?:her|his|their) "
               r"(family|parents|relatives|mum|dad)\b.{0,80}\b(clean\w*|work\w*|cook\w*|housework|not allowed|"
               r"passport|paid|servant|looks? after)\b", _I),
    re.compile(r"\b(had (?:her|his|their) (?:daughter |daughters |girls? )?cut|(?:has|had|have) been cut|was cut|got cut)\b"
               r".{0,60}\b(abroad|holiday|summer|when|ceremony|visit|trip|back home)\b", _I),
    # a family gone without a word; a child staying with an older man
    re.compile(r"\b(family|they|parents?|mum|dad)\s+(?:have\s+|had\s+|has\s+)?(left|moved out|gone|disappeared|fled|vanished)"
               r"\b.{0,20}\b(in the night|overnight|without (?:a word|telling|notice|saying)|suddenly)\b|\bdone a "
               r"(?:moonlight )?flit\b|\bhouse (?:looks|is|seems) (?:empty|abandoned|boarded)\b", _I),
    re.compile(r"\b(staying|stays|stayed|sleeping|sleeps|living|lives)\s+(?:with|at)\s+(?:an?\s+)?(?:older|adult|grown)\s+"
               r"(man|men|boyfriend|guy|male|woman|friend)'?s?\b", _I),
    # not safe at home; someone walking in on a child; things thrown at a child; asked for pictures
    re.compile(r"\b(?:does ?n'?t|does not|do ?n'?t|do not|is ?n'?t|is not|not|never) (?:feel )?safe (?:at home|to go home|"
               r"there|with (?:her|his|their|mum|dad))\b|\bunsafe at home\b", _I),
    re.compile(r"\b(?:comes?|coming|came|walks?|walking|walked) (?:in|into) (?:the )?(?:bathroom|shower|her bedroom|his "
               r"bedroom)\b|\bwatch\w* (?:her|him) (?:shower|undress|chang\w*|in the bath)", _I),
    re.compile(r"\bthrow\w* (?:things|stuff|\w+) at (?:her|him|them)\b", _I),
    re.compile(r"\b(?:asking|asks|asked)\s+(?:her|him|them\s+)?\s*for\s+(?:\w+\s+)?(?:photos|pictures|pics|nudes|images|"
               r"selfies)\b", _I),
    re.compile(r"\b(extremis\w*|radicali[sz]\w*|terror\w*)\b.{0,60}\b(he|she|they|pupil|child|boy|girl|student|"
               r"videos?|material|sharing|watching|posting|talking)\b", _I),
    re.compile(r"\bright now\b.{0,60}\b" + _CHILD + r"\b|\b" + _CHILD + r"\b.{0,60}\bright now\b", _I),
]
RISK_PATTERNS = tuple(p.pattern for p in _SITUATIONS) + SIGN_PATTERNS   # their words are targets for typo correction
_SITUATIONS_LOWER = [for_lower_case(p) for p in _SITUATIONS]   # matched against the lower-cased message, faster
# General questions about safeguarding topics ("what are the signs of grooming") are not disclosures.
_GENERAL = re.compile(r"^\s*(what|which|how|who|where|when|is there|are there|define|explain|do|does|can|should|"
                      r"tell me)\b.{0,80}\b(signs?|indicators?|definition|training|policy|procedures?|checks?|guidance|"
                      r"team|service|paragraph|refer\w*|mean\w*|toolkit|course|priority|information|info|data|share|"
                      r"sharing|role|responsib\w*|duty|duties|law|legislation|kcsie|ffpp|statistics|figures|rates?|"
                      r"resources?|leaflets?|spot|recognis\w*|identify\w*|support|help|services?|advice|process|"
                      r"legal\w*|age)\b|\b(?:writing|planning|preparing|giving|delivering) (?:an? |the |our )?(?:assembly|"
                      r"lesson|talk|training|session|presentation)\b", _I)
_SPECIFIC = re.compile(r"\b(told|tells|said|says|disclosed|showed|today|tonight|right now|this morning|last night|"
                       r"yesterday|just|has|had|he'?s|she'?s|they'?re|(?:our|my) (?:\w+ ){0,2}(?:pupil|child|boy|girl|"
                       r"student|lad|kid|son|daughter|y(?:ea)?r ?\d+|class)|my|this child|a child in|whose|"
                       r"(?:who|that) (?:is|was|has been|keeps) being|(?:this|our|my|the) (?:child|pupil|boy|girl|student|lad|"
                       r"young person|kid) (?:is|was|has been) being|(?:when|if) (?:a|our|this|the|one of our) (?:child|pupil|boy|"
                       r"girl|student|lad|young person|kid) (?:is|was|has been) being|(?:is|are) (?:hitting|hurting|"
                       r"beating|abusing|touching|threatening)|next (?:week|month)|tomorrow)\b", _I)


_PAST = re.compile(r"\b(in the past|previously|historic(?:al)?(?:ly)?|used to|years ago|now (?:doing )?(?:well|better|"
                   r"fine|safe|settled)|general question|no (?:specific |particular )?(?:worry|concern|child)|"
                   r"hypothetical\w*|in general)\b", _I)


_SEEN_AT_SCHOOL = re.compile(r"\b(in food tech|accident book|a (?:foot|rugby |net|cricket |hockey )?ball (?:to|in) the "
                             r"face)\b", _I)
_FOUND_SAFE = re.compile(r"\b(?:was|were|has been|have been|got|been) found (?:safe|safe and well|in (?:the|a) "
                         r"(?:library|toilets?|classroom|playground|canteen|hall|office)|hiding|asleep)\b", _I)
_SPECIFIC_NOW = re.compile(r"\b(?:not (?:yet )?(?:been )?found|still missing|tonight|right now)\b", _I)


# A question about a child caring at home ("does that make him a young carer?"): caring, not harm, is its subject.
_ABOUT_CARING = re.compile(r"\b(?:is|does|would|make|makes|count(?:s)? as|qualify as|class(?:ed)? as|an?)\b[^.?!]{0,30}"
                           r"\byoung carers?\b(?!\s+(?:just |has |had )?(?:said|told|disclosed))|\byoung carers? "
                           r"(?:project|group|service|support|assessment)\b", _I)
# ... or caring told in everyday words ("gets her baby brother dressed and fed every morning", "looks after his mum")
_CARING_TOLD = re.compile(r"\b(?:gets?|getting|got|makes?|making|sorts?|sorting) (?:her|his|their|the) (?:\w+ ){0,2}"
                          r"(?:brothers?|sisters?|siblings?|twins|baby|mum|dad|nan|gran\w*)\b[^.?!]{0,25}\b(?:ready|"
                          r"dressed|fed|up|washed|breakfast|to school|to nursery)\b|\blooks? after (?:her|his|their) "
                          r"(?:\w+ ){0,2}(?:mum|dad|mother|father|parent|brothers?|sisters?|siblings?|nan|gran\w*)\b", _I)
# ... unless something dangerous is told as well ("mum took too many pills this morning")
_DANGER = re.compile(r"\b(?:pills?|tablets|overdos\w*|unconscious|collapsed|not breathing|unresponsive|passed out|hurt\w*|"
                     r"hit|hits|bleeding|ambulance|999|police|scared|afraid|frightened|alone|no food|locked|threat\w*|"
                     r"never see (?:them|him|her) again|scream\w*|crying|cries|shout\w*|yell\w*|bang\w*|smash\w*|"
                     r"bruis\w*|injur\w*|blood\w*)\b", _I)

# A short "what if ..." supposes a change to the situation being coded; it tells nothing that has happened.
_SUPPOSED = re.compile(r"^\s*(?:and |so |but |ok,? |okay,? )?(?:what (?:if|about if)|suppose|supposing)\b", _I)
SUPPOSED_WORDS = 12


# A child who "didn't come back" after family took them out ("nan took her at 10.40 for a dentist appt") is not missing
_NOT_BACK = re.compile(r"\b(?:didn'?t|did not|hasn'?t|has not) come back\b", _I)
_WITH_FAMILY = re.compile(r"\b(?:mum|mam|dad|nan|nanna|gran|granny|grandma|grandad|parents?|carers?|aunt\w*|uncle|step ?(?:mum|dad))"
                          r"\b[^.?!]{0,12}\b(?:took|collected|picked up|fetched|signed out)\s+(?:her|him|them)\b", _I)

_FOR_APPOINTMENT = re.compile(r"\b(?:dentist|doctor'?s?|gp|hospital|medical|orthodont\w*|optician|appointment|appt|"
                              r"home (?:ill|sick|unwell|poorly))\b", _I)
_NOT_ALLOWED = re.compile(r"\b(?:court order|not allowed|not supposed to|no contact|injunction|restraining|non[- ]?molestation|"
                          r"not meant to)\b", _I)


# A school building without heating or power ("the KS1 block had no heating so KS1 closed") is a closure, not neglect.
_PREMISES_WITHOUT = re.compile(r"\b((?:building|school|site|classroom|hall|block|wing|premises|department|boiler|ks ?\d|"
                               r"key stage \d)\b[^.?!]{0,30}?)\bno (?:heating|electricity|power|water)\b", _I)


# The everyday first-day call about an absence ("sister doesn't know why he's not in, mum's phone goes to voicemail"):
# a reason not yet known (N), not a child at risk, unless danger is told as well.
_ABSENCE_CALL = re.compile(r"\b(?:(?:does ?n'?t|does not|did ?n'?t|did not|has no|have no) (?:know|idea) why (?:he|she|they)(?:'?s| is| are|'?re)? "
                           r"(?:not in|off|absent|not at school)|(?:phone|mobile)\w* (?:goes|going|went|just goes) (?:straight )?to "
                           r"(?:voice ?mail|answer ?phone)|(?:phone|mobile)\w* (?:just )?rings? out|(?:no ?one|nobody) "
                           r"(?:answers|picks up) the phone|"
                           # ... or a first home visit that finds no one in ("no answer at the door")
                           r"(?:no answer|no reply|no response|(?:no ?one|nobody) (?:answered|answers|came to|opened))"
                           r" (?:at|to) the (?:front )?door|home visit\w*[^.?!]{0,30}\b(?:no ?one|nobody) (?:was )?(?:in|home))\b", _I)


def at_immediate_risk(text: str) -> bool:
    """Return True when the words suggest a child may be being harmed or in danger now."""
    text = _PREMISES_WITHOUT.sub(r"\1 a fault", text)
    if _SUPPOSED.search(text) and len(text.split()) <= SUPPOSED_WORDS:
        return False   # "what if he didn't come back at all?": a short supposition about coding, not a child at risk
    low = text.lower()
    told = any(p.search(low) for p in _SITUATIONS_LOWER)
    if told and _WITH_FAMILY.search(text) and _FOR_APPOINTMENT.search(text) and not _NOT_ALLOWED.search(text) \
            and not any(p.search(_NOT_BACK.sub(" ", low)) for p in _SITUATIONS_LOWER):
        told = False   # "nan took her to the dentist and she didn't come back": with family, not missing
    over = bool(_SEEN_AT_SCHOOL.search(text)) or bool(_FOUND_SAFE.search(text) and not _SPECIFIC_NOW.search(text))
    if over:
        told = False   # an accident that happened and was recorded at school, or missing then found safe: only signs
    if not told and weigh_signs(text) < SIGNS_AT_RISK and (over or not learned_risk(text)
                                                           or ((_ABOUT_CARING.search(text) or _CARING_TOLD.search(text)
                                                                or _ABSENCE_CALL.search(text))
                                                               and not _DANGER.search(text))):
        # no situation told, too few signs, and the learned weights do not lean towards risk either (or lean only on
        # the words of a child caring at home, asked about as a young carer, or of a first-day call about an absence)
        return False
    if _GENERAL.search(text) and (not _SPECIFIC.search(text) or _PAST.search(text)):
        return False
    return True


# Signs that the risk may be exploitation: older people, going missing, carrying or selling, debts, gangs.
_EXPLOITATION = re.compile(r"\bolder (?:boys?|lads?|men|man|people|guys|kids|teenagers|girls?|friends?)\b|\bcounty lines?\b|"
                           r"\b(?:packages?|parcels?|drugs?|weed|cash|gear)\b|\bowes?\b|\bdebts?\b|\bvanish\w*|"
                           r"\b(?:going|goes|gone|went|go) missing\b|\bgangs?\b|\bnew (?:phones?|trainers|clothes)\b|"
                           r"\bexploit\w*|\bgroom\w*", re.IGNORECASE)


def suggests_exploitation(text: str) -> bool:
    """True when a message at risk also carries signs of exploitation, so the exploitation routes follow escalation."""
    return bool(_EXPLOITATION.search(text))


def escalation_text(local_route: str) -> str:
    """Return the escalation advice shown before anything else when a child may be at risk."""
    return (
        "If a child is in immediate danger, call 999 now.\n"
        "Tell your Designated Safeguarding Lead (DSL) today, and write down what you saw or were told, in the "
        "child's words, with the date and time.\n"
        f"Then follow local referral routes: {local_route}\n"
        "Do not promise to keep a disclosure secret and do not investigate yourself."
    )
