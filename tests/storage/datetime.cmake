loom_add_test(datetime_test SOURCES datetime_test.cc LIBS loom_values)
