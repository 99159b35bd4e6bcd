"""Text about people and for finding things: resident ID numbers, masking, pinyin search.

    from hall.text.idnumber import parse_id_number      # check digit, birth date, sex, region
    from hall.text.documents import parse_document      # passports, permits, residence cards
    from hall.text.masking import mask_name, mask_id_number, mask_phone, mask_address
    from hall.text.search import matches, search_keys   # "fd" finds 房地产

Import the module you need: this package imports none of them itself, so the desk does not pay
for pypinyin (slow to load) until someone filters a list.
"""
