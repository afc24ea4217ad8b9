# atelier_set_warnings(target): the project's warning policy, applied to our own targets only.
function(atelier_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra)
  if(ATELIER_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
