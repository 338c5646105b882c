META
key;value
description;an ordinal vote that ranks a project twice
num_projects;3
num_votes;2
budget;100
vote_type;ordinal
rule;greedy
PROJECTS
project_id;cost
1379;60
382;30
897;10
VOTES
voter_id;vote
1;1379,1379,382,897
2;382,897,382
